"""KServe Python model server for the digits classifier (Open Inference Protocol, "V2").

Reads the model directory the `train` step writes (state_dict.pt + config.json) and answers
POST /v2/models/<name>/infer with one FP32 input of shape [n, 64] (pixels scaled to [0, 1]).
Two outputs: `predictions` INT64 [n] and `probabilities` FP32 [n, 10].

    python digits_server.py --model_name digits --model_dir /mnt/models --http_port 8080

This file is the single source of the server: the KFP pipeline passes its text to the serving step.
"""
import argparse
import json
import os

import kserve
import numpy as np
import torch
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer
from kserve.errors import InvalidInput
from torch import nn

N_FEATURES = 64


class DigitsModel(Model):
    def __init__(self, name: str, model_dir: str):
        super().__init__(name)
        self.model_dir = model_dir
        self.net = None
        self.load()

    def load(self) -> bool:
        with open(os.path.join(self.model_dir, "config.json")) as f:
            config = json.load(f)
        net = nn.Sequential(nn.Linear(N_FEATURES, config["hidden"]), nn.ReLU(),
                            nn.Linear(config["hidden"], 10))
        state = torch.load(os.path.join(self.model_dir, "state_dict.pt"), map_location="cpu",
                           weights_only=True)
        net.load_state_dict(state)
        net.eval()
        self.net = net
        self.ready = True
        return self.ready

    async def predict(self, payload: InferRequest, headers=None, response_headers=None) -> InferResponse:
        if not isinstance(payload, InferRequest) or len(payload.inputs) != 1:
            raise InvalidInput("expected a V2 request with one input of shape [n, 64]")
        x = np.asarray(payload.inputs[0].as_numpy(), dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != N_FEATURES:
            raise InvalidInput(f"input shape must be [n, {N_FEATURES}], got {list(x.shape)}")
        with torch.no_grad():
            probs = torch.softmax(self.net(torch.from_numpy(x)), dim=1).numpy()
        preds = probs.argmax(axis=1).astype(np.int64)
        out_pred = InferOutput(name="predictions", shape=list(preds.shape), datatype="INT64")
        out_pred.set_data_from_numpy(preds, binary_data=False)
        out_prob = InferOutput(name="probabilities", shape=list(probs.shape), datatype="FP32")
        out_prob.set_data_from_numpy(probs.astype(np.float32), binary_data=False)
        return InferResponse(response_id=payload.id, model_name=self.name,
                             infer_outputs=[out_pred, out_prob])


def main() -> None:
    parser = argparse.ArgumentParser(parents=[kserve.model_server.parser])
    parser.add_argument("--model_dir", required=True, help="directory with state_dict.pt and config.json")
    args, _ = parser.parse_known_args()
    model = DigitsModel(args.model_name, args.model_dir)
    ModelServer().start([model])


if __name__ == "__main__":
    main()
