"""ENTROPO-DPO (Yu et al. 2025, arXiv 2509.12434; PAPER.md "ENTROPO-DPO", from the released loss code):

    z    = α·[log π(y_w) − log π(y_l)] − β·[log π_ref(y_w) − log π_ref(y_l)]
    loss = −log σ(z)                       (mean over the batch)
    rewards logged: α·log π(y) − β·log π_ref(y)

with log π(y) the sum of log-probs over the assistant tokens of the whole trajectory. α = β is DPO.

Which hook, and why. TRL 1.16 computes the DPO loss inline in `DPOTrainer._compute_loss`
(dpo_trainer.py:1285-1612: the forward through the fused chunked log-prob head, the reference forward or the
precomputed reference log-probs, `-F.logsigmoid(self.beta * delta_score)` at :1388, then ~80 lines of
metrics); there is no smaller loss hook. Rather than copy it, we use the identity

    z = β·[((α/β)·log π(y_w) − log π_ref(y_w)) − ((α/β)·log π(y_l) − log π_ref(y_l))]

i.e. ENTROPO-DPO is TRL's sigmoid DPO on policy log-probs scaled by α/β. `_compute_loss` hands TRL a view
of the policy (`ScaledLogProbs`) whose per-token log-probs are multiplied by α/β; the reference goes through
`self.ref_model` (or `self.model` with the adapter off, or the batch's precomputed values) and is untouched.
The gradient is α·∇log π as it should be, TRL's logged rewards β·(log-ratio) (:1582) become exactly
α·log π − β·log π_ref, and the fused head, reference handling and metrics stay TRL's. Only
`logps/chosen|rejected` would show scaled values, so they are divided back. With α = β the factor is 1.0
and the computation is TRL's, bit for bit. Other loss types, WPO weighting and f-divergences would misread
scaled log-probs, so the config refuses them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from methods.dpo import MultiTurnDPOConfig, MultiTurnDPOTrainer

LOGGED_LOGPS = ("logps/chosen", "logps/rejected")


class ScaledLogProbs:
    """Calls `model` and multiplies the per-token `log_probs` of its fused-head output by `scale`."""

    def __init__(self, model: Any, scale: float) -> None:
        self.model, self.scale = model, scale

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        outputs = self.model(*args, **kwargs)
        if getattr(outputs, "log_probs", None) is not None:
            outputs.log_probs = outputs.log_probs * self.scale
        return outputs

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


def loss_with_scaled_policy(
    compute: Callable, model: Any, inputs: Any, return_outputs: bool, scale: float, metrics: dict[str, list]
) -> Any:
    """`compute(ScaledLogProbs(model, scale), inputs, return_outputs)` (a TRL `_compute_loss`), then the
    `logps/*` entries it just logged divided by `scale`, so that they report log π, not (α/β)·log π."""
    before = {key: len(metrics[key]) for key in LOGGED_LOGPS}
    result = compute(ScaledLogProbs(model, scale), inputs, return_outputs)
    for key in LOGGED_LOGPS:
        if len(metrics[key]) > before[key]:
            metrics[key][-1] /= scale
    return result


@dataclass
class EntropoDPOConfig(MultiTurnDPOConfig):
    """MultiTurnDPOConfig plus α of ENTROPO (PAPER.md, "ENTROPO-DPO").

    Args:
        alpha (`float`, defaults to `0.11`): α, the weight of the policy log-ratio in
            z = α·[log π(y_w) − log π(y_l)] − β·[log π_ref(y_w) − log π_ref(y_l)], loss = −log σ(z). β is
            `beta` (0.1). The released README advises α in [0.105, 0.15] with β = 0.1; α = β is DPO.
    """

    alpha: float = field(
        default=0.11,
        metadata={
            "help": "α of ENTROPO (PAPER.md): z = α·[log π(y_w) − log π(y_l)] − β·[log π_ref(y_w) − "
            "log π_ref(y_l)], loss = −log σ(z); rewards logged α·log π − β·log π_ref. Released: 0.11, "
            "with β = 0.1."
        },
    )

    def __post_init__(self):
        super().__post_init__()
        if self.alpha <= 0 or self.beta <= 0:
            raise ValueError(f"ENTROPO needs α > 0 and β > 0, got alpha={self.alpha}, beta={self.beta}")
        if self.loss_type != ["sigmoid"] or self.use_weighting or self.f_divergence_type != "reverse_kl":
            raise ValueError(
                "ENTROPO-DPO is the sigmoid loss: use loss_type='sigmoid', use_weighting=False and "
                f"f_divergence_type='reverse_kl' (got {self.loss_type}, {self.use_weighting}, "
                f"{self.f_divergence_type!r})"
            )


class EntropoDPOTrainer(MultiTurnDPOTrainer):
    """Multi-turn DPO with ENTROPO's decoupled α (policy) and β (reference); see the module docstring."""

    def _compute_loss(self, model, inputs, return_outputs):
        mode = "train" if self.model.training else "eval"
        scale = self.args.alpha / self.args.beta
        return loss_with_scaled_policy(
            super()._compute_loss, model, inputs, return_outputs, scale, self._metrics[mode]
        )
