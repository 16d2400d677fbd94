"""The registered training methods (registry kind `method`): each is a sequence of stages, every
stage a TRL config/trainer pair with the paper's defaults (methods/README.md links each to its
equation). `base` (methods/base.py) trains nothing."""

from __future__ import annotations

from dataclasses import dataclass

from harness.config import RunConfig
from harness.store import Store
from methods.train import ExampleSource, Stage, check_options, train_stage

SFT = Stage("sft", "sft", "methods.sft:MultiTurnSFTConfig", "methods.sft:MultiTurnSFTTrainer")
DPO = Stage("dpo", "dpo", "methods.dpo:MultiTurnDPOConfig", "methods.dpo:MultiTurnDPOTrainer")
KTO = Stage("kto", "kto", "methods.kto:MultiTurnKTOConfig", "methods.kto:MultiTurnKTOTrainer")
ENTROPO_DPO = Stage("entropo-dpo", "dpo", "methods.entropo_dpo:EntropoDPOConfig",
                    "methods.entropo_dpo:EntropoDPOTrainer")
ENTROPO_KTO = Stage("entropo-kto", "kto", "methods.entropo_kto:EntropoKTOConfig",
                    "methods.entropo_kto:EntropoKTOTrainer")
# The learned verifier (PAPER.md): the policy model tuned 2 epochs on judge rows (LoRA unless
# method_options.lora is false), answer tokens only.
VERIFIER = Stage("verifier", "verifier", "methods.sft:MultiTurnSFTConfig", "methods.sft:MultiTurnSFTTrainer",
                 defaults={"num_train_epochs": 2.0})


@dataclass(frozen=True)
class Recipe:
    """A method: train `config.model` through `stages` in order; the last stage's model is rolled out."""

    name: str
    stages: tuple[Stage, ...]

    def train(self, config: RunConfig, store: Store, examples_for: ExampleSource) -> str:
        check_options(self.stages, config)  # a typo fails before the first stage trains
        model = config.model
        for stage in self.stages:
            model = train_stage(stage, model, config, store, examples_for)
        return model


SFT_METHOD = Recipe("sft", (SFT,))
# One preference stage on the model given (bring your own SFT model: `--model`).
DPO_METHOD = Recipe("dpo", (DPO,))
KTO_METHOD = Recipe("kto", (KTO,))
ENTROPO_DPO_METHOD = Recipe("entropo-dpo", (ENTROPO_DPO,))
ENTROPO_KTO_METHOD = Recipe("entropo-kto", (ENTROPO_KTO,))
# The paper's pipeline: SFT, then the preference stage on the SFT model (also its reference). The SFT
# stage's model is shared (methods/train.py names runs by stage), so these rows differ only in the loss.
ENTROPO = Recipe("entropo", (SFT, ENTROPO_KTO))  # the paper's main variant
SFT_DPO = Recipe("sft-dpo", (SFT, DPO))
SFT_KTO = Recipe("sft-kto", (SFT, KTO))
SFT_ENTROPO_DPO = Recipe("sft-entropo-dpo", (SFT, ENTROPO_DPO))
VERIFIER_METHOD = Recipe("verifier", (VERIFIER,))  # `harness train --method verifier`; never rolled out
