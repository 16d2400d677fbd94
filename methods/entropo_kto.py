"""ENTROPO-KTO (Yu et al. 2025, arXiv 2509.12434; PAPER.md "ENTROPO-KTO"), two forms (`value_form`):

    z0 = max(0, mean over the batch of [α·log π(y') − β·log π_ref(y')]), y' mismatched, no gradient

    "released" (default; α enters only through z0, as in the released loss code):
        desirable   L_D = 1 − σ(β·(log π(y) − log π_ref(y)) − z0)
        undesirable L_U = 1 − σ(z0 − β·(log π(y) − log π_ref(y)))
    "implicit" (the implicit reward r = α·log π − β·log π_ref inside the value function too):
        desirable   L_D = 1 − σ(α·log π(y) − β·log π_ref(y) − z0)
        undesirable L_U = 1 − σ(z0 − (α·log π(y) − β·log π_ref(y)))
    loss = mean(λ_D·L_D ∪ λ_U·L_U), λ_D = λ_U = 1

The paper's printed KTO formula was not available (PAPER.md): "released" is the code's form, "implicit"
the reading in which the paper's implicit reward replaces KTO's. A run records which in its config.

Units of z0. TRL's KTO (kto_trainer.py:1443-1470) keeps its reference point in log-ratio units,
kl = max(0, mean(log π(y') − log π_ref(y'))), and multiplies it by β inside the sigmoid. PAPER.md writes z0
in reward units (α·log π − β·log π_ref) yet also inside β·(…); read literally, α = β would give β²·KL, not
KTO. We put z0 where TRL has β·kl: TRL's kl becomes z0/β = max(0, mean((α/β)·log π(y') − log π_ref(y'))),
so α = β is exactly TRL's KTO (and "implicit" with α = β equals "released"). The logged `kl` is z0/β.

Which hook: as for ENTROPO-DPO (methods/entropo_dpo.py), TRL's loss is inline in `_compute_loss`, so TRL is
fed policy log-probs scaled by α/β. `_compute_kl_logps`, TRL's own hook for the mismatched forward
(kto_trainer.py:1337), scales the policy's log π(y') by α/β (both forms); `_compute_loss` scales the matched
log π(y) by α/β in the "implicit" form only. Reference forwards are untouched. With α = β every factor is
1.0: TRL's KTO bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from methods.entropo_dpo import ScaledLogProbs, loss_with_scaled_policy
from methods.kto import MultiTurnKTOConfig, MultiTurnKTOTrainer

VALUE_FORMS = ("released", "implicit")


@dataclass
class EntropoKTOConfig(MultiTurnKTOConfig):
    """MultiTurnKTOConfig plus ENTROPO's α and the choice of value function (PAPER.md, "ENTROPO-KTO").

    Args:
        alpha (`float`, defaults to `0.11`): α of the reference point
            z0 = max(0, mean(α·log π(y') − β·log π_ref(y'))), and of the implicit reward in the "implicit"
            form. β is `beta` (0.1).
        value_form (`str`, defaults to `"released"`): "released" (α only in z0, the released code) or
            "implicit" (α·log π − β·log π_ref also inside the value function). The paper's printed form was
            not available.
    """

    alpha: float = field(
        default=0.11,
        metadata={"help": "α of ENTROPO (PAPER.md): z0 = max(0, mean(α·log π(y') − β·log π_ref(y'))); 0.11."},
    )
    value_form: str = field(
        default="released",
        metadata={
            "help": "'released': L_D = 1 − σ(β·(log π − log π_ref) − z0) (the released code); 'implicit': "
            "L_D = 1 − σ(α·log π − β·log π_ref − z0). The paper's printed form was not available.",
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

    def _compute_loss(self, model, inputs, return_outputs):
        mode = "train" if self.model.training else "eval"
        scale = self.args.alpha / self.args.beta if self.args.value_form == "implicit" else 1.0
        return loss_with_scaled_policy(
            super()._compute_loss, model, inputs, return_outputs, scale, self._metrics[mode]
        )

    def _compute_kl_logps(self, model, batch):
        if not isinstance(model, ScaledLogProbs):  # a reference forward
            return super()._compute_kl_logps(model, batch)
        kl_logps = super()._compute_kl_logps(model.model, batch)  # the policy's log π(y'), unscaled
        return None if kl_logps is None else kl_logps * (self.args.alpha / self.args.beta)
