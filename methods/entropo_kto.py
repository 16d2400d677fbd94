"""ENTROPO-KTO (Yu et al. 2025, arXiv 2509.12434; PAPER.md "ENTROPO-KTO"), three forms (`value_form`):

    z0 = max(0, mean over the batch of [α·log π(y') − β·log π_ref(y')]), y' mismatched, no gradient
    lr = log π(y) − log π_ref(y)

    "released" (default: the released loss code, bit for bit; α enters only through z0):
        desirable   L_D = 1 − σ(β·(lr − z0))
        undesirable L_U = 1 − σ(β·(z0 − lr))
    "trl" (z0 where TRL's KTO has β·KL, so α = β is exactly TRL's KTO):
        desirable   L_D = 1 − σ(β·lr − z0)
        undesirable L_U = 1 − σ(z0 − β·lr)
    "implicit" (the implicit reward r = α·log π − β·log π_ref inside the value function too):
        desirable   L_D = 1 − σ(α·log π(y) − β·log π_ref(y) − z0)
        undesirable L_U = 1 − σ(z0 − (α·log π(y) − β·log π_ref(y)))
    loss = mean(λ_D·L_D ∪ λ_U·L_U), λ_D = λ_U = 1

Why three. The released code puts z0, in reward units, inside the β-scaled difference: at α = β its z0 is
β·KL and the value function multiplies it by β again, so it is NOT TRL's KTO (TRL: β·(lr − KL)). "trl" is
the form that reduces to the KTO baseline at α = β (the clean ablation); "implicit" is the reading in
which the paper's implicit reward replaces KTO's (the paper's printed formula was not available). A run
records its form in its config; methods/README.md says when each is used.

Which hook: as for ENTROPO-DPO (methods/entropo_dpo.py), TRL's loss is inline in `_compute_loss`
(kto_trainer.py:1443-1470: kl = max(0, mean(KL_logps − ref_KL_logps)), then β·(lr − kl)), so TRL is fed
scaled log-probs. `_compute_kl_logps`, TRL's hook for the mismatched forward (kto_trainer.py:1337), scales
log π(y') and log π_ref(y') so that TRL's kl is z0 ("released": α and β) or z0/β (the others: α/β and 1);
`_compute_loss` scales the matched log π(y) by α/β in the "implicit" form only. With α = β the "trl" and
"implicit" factors are all 1.0: TRL's KTO bit for bit. Every step logs `z0` (reward units, after the clamp),
`z0/unclamped` and `z0/clamped` (1.0 when the clamp held z0 at 0: then α changed nothing that step).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from methods.entropo_dpo import ScaledLogProbs, loss_with_scaled_policy
from methods.kto import MultiTurnKTOConfig, MultiTurnKTOTrainer

VALUE_FORMS = ("released", "trl", "implicit")


@dataclass
class EntropoKTOConfig(MultiTurnKTOConfig):
    """MultiTurnKTOConfig plus ENTROPO's α and the choice of value function (PAPER.md, "ENTROPO-KTO").

    Args:
        alpha (`float`, defaults to `0.11`): α of the reference point
            z0 = max(0, mean(α·log π(y') − β·log π_ref(y'))), and of the implicit reward in the "implicit"
            form. β is `beta` (0.1).
        value_form (`str`, defaults to `"released"`): "released" (the released code: 1 − σ(β·(lr − z0))),
            "trl" (1 − σ(β·lr − z0): TRL's KTO at α = β) or "implicit" (1 − σ(α·log π − β·log π_ref − z0)).
    """

    alpha: float = field(
        default=0.11,
        metadata={"help": "α of ENTROPO (PAPER.md): z0 = max(0, mean(α·log π(y') − β·log π_ref(y'))); 0.11."},
    )
    value_form: str = field(
        default="released",
        metadata={
            "help": "'released': L_D = 1 − σ(β·(lr − z0)) (the released code); 'trl': L_D = 1 − σ(β·lr − z0) "
            "(TRL's KTO at α = β); 'implicit': L_D = 1 − σ(α·log π − β·log π_ref − z0).",
            "choices": list(VALUE_FORMS),
        },
    )

    def __post_init__(self):
        if self.value_form not in VALUE_FORMS:
            raise ValueError(f"value_form={self.value_form!r}; expected one of {VALUE_FORMS}")
        if self.alpha <= 0 or self.beta <= 0:
            raise ValueError(f"ENTROPO needs α > 0 and β > 0, got alpha={self.alpha}, beta={self.beta}")
        if self.loss_type != "kto":
            raise ValueError(f"ENTROPO-KTO is the 'kto' loss (with its KL term), got {self.loss_type!r}")
        super().__post_init__()


class EntropoKTOTrainer(MultiTurnKTOTrainer):
    """Multi-turn KTO with ENTROPO's reference point (and optionally value function); see the module."""

    def _kl_scales(self) -> tuple[float, float]:
        """Factors on log π(y') and log π_ref(y'): TRL's kl is then z0 ("released") or z0/β."""
        alpha, beta = self.args.alpha, self.args.beta
        return (alpha, beta) if self.args.value_form == "released" else (alpha / beta, 1.0)

    def _compute_loss(self, model, inputs, return_outputs):
        mode = "train" if self.model.training else "eval"
        scale = self.args.alpha / self.args.beta if self.args.value_form == "implicit" else 1.0
        self._kl_terms: dict[str, torch.Tensor] = {}
        if self.precompute_ref_logps and inputs.get("ref_KL_logps") is not None:
            ref = inputs["ref_KL_logps"] * self._kl_scales()[1]
            inputs, self._kl_terms["reference"] = {**inputs, "ref_KL_logps": ref}, ref
        result = loss_with_scaled_policy(
            super()._compute_loss, model, inputs, return_outputs, scale, self._metrics[mode]
        )
        if len(self._kl_terms) == 2:
            self._log_z0(self._metrics[mode])
        return result

    def _compute_kl_logps(self, model, batch):
        policy = isinstance(model, ScaledLogProbs)
        kl_logps = super()._compute_kl_logps(model.model if policy else model, batch)  # unscaled
        if kl_logps is None:
            return None
        kl_logps = kl_logps * self._kl_scales()[0 if policy else 1]
        self._kl_terms["policy" if policy else "reference"] = kl_logps.detach()
        return kl_logps

    def _log_z0(self, metrics: dict[str, list]) -> None:
        """z0 in reward units before and after the clamp, from the terms TRL's kl was made of."""
        kl = (self._kl_terms["policy"] - self._kl_terms["reference"]).mean()
        kl = self.accelerator.gather_for_metrics(kl).mean().item()
        z0 = kl if self.args.value_form == "released" else self.args.beta * kl
        metrics["z0"].append(max(0.0, z0))
        metrics["z0/unclamped"].append(z0)
        metrics["z0/clamped"].append(float(z0 < 0))
