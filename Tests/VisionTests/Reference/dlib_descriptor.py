"""The PyPI dlib build's face descriptors, for gazetop's equality test (FaceDescriptorTests).

Reads one JSON object on stdin: {"shape_predictor": PATH, "network": PATH, "faces": [{"rgb": PATH,
"width": W, "height": H, "box": [LEFT, TOP, RIGHT, BOTTOM]}, ...]}, where each rgb file holds the exact
pixels gazetop decoded (W * H * 3 bytes, R G B), and the box is the integer dlib rectangle gazetop uses.
Prints a JSON list: per face, the 5 landmarks and dlib's compute_face_descriptor (its defaults: no jitter,
padding 0.25).
"""
import json
import sys

import dlib
import numpy as np

job = json.load(sys.stdin)
predictor = dlib.shape_predictor(job["shape_predictor"])
network = dlib.face_recognition_model_v1(job["network"])
out = []
for face in job["faces"]:
    pixels = np.fromfile(face["rgb"], dtype=np.uint8).reshape(face["height"], face["width"], 3)
    shape = predictor(pixels, dlib.rectangle(*face["box"]))
    descriptor = network.compute_face_descriptor(pixels, shape)
    out.append({"points": [[p.x, p.y] for p in shape.parts()], "descriptor": list(descriptor)})
json.dump(out, sys.stdout)
