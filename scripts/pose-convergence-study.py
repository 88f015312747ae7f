#!/usr/bin/env python3
"""Does OpenCV's solvePnP, started from the last frame's pose, reach the least-squares head pose?

gazetop's head pose is the pose of a generic six-point face (nose tip, chin, outer eye corners, mouth
corners; Sources/CVision/cvision.cpp) that best reprojects onto dlib's landmarks. Frame to frame it used to
be `cv2.solvePnP(..., useExtrinsicGuess=True, SOLVEPNP_ITERATIVE)` from the last frame's pose; it is now
`cvs::refine_pose` (Sources/CVision/pose_refine.cpp), the same fit run to its minimum. This measures, on
every frame of the given clips, how far the chained solvePnP ends from the minimum that
`cv2.solvePnPRefineLM` reaches when allowed to converge (2000 iterations, eps 1e-15): the yaw and pitch
differences and the reprojection costs of both.

Usage (from the project root, with the peers venv of ../shared/tools/setup-peers.sh):
    .build/peers-venv/bin/python scripts/pose-convergence-study.py ../shared/data/zju-eyeblink/*_F??.mp4
"""
import math
import sys

import cv2
import dlib
import numpy as np

DLIB_MODEL = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
# cvision.cpp's generic face, camera axes (x right, y down, z away), by landmark index.
MODEL = np.array([[0, 0, 0], [0, 330, 65], [-225, -170, 135], [225, -170, 135], [-150, 150, 125], [150, 150, 125]], float)
INDEX = [30, 8, 36, 45, 48, 54]


def cost(r, t, seen, camera):
    projected, _ = cv2.projectPoints(MODEL, r, t, camera, None)
    return float(((projected.reshape(-1, 2) - seen) ** 2).sum())


def yaw_pitch(r):
    """As cvision.cpp reads them: where the face's -z axis points."""
    m, _ = cv2.Rodrigues(r)
    f = -m[:, 2]
    return math.degrees(math.atan2(f[0], -f[2])), math.degrees(math.atan2(-f[1], math.hypot(f[0], f[2])))


def main(paths):
    detector, predictor = dlib.get_frontal_face_detector(), dlib.shape_predictor(DLIB_MODEL)
    every = []
    for path in paths:
        video = cv2.VideoCapture(path)
        r = t = None
        diffs, extra = [], []
        while True:
            ok, frame = video.read()
            if not ok:
                break
            grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            faces = detector(grey, 0)
            if not faces:
                r = None
                continue
            shape = predictor(grey, faces[0])
            seen = np.array([[shape.part(k).x, shape.part(k).y] for k in INDEX], float)
            h, w = grey.shape
            camera = np.array([[w, 0, w / 2], [0, w, h / 2], [0, 0, 1]], float)
            if r is None:
                _, r, t = cv2.solvePnP(MODEL, seen, camera, None, flags=cv2.SOLVEPNP_ITERATIVE)
            else:
                _, r, t = cv2.solvePnP(MODEL, seen, camera, None, r.copy(), t.copy(), True, cv2.SOLVEPNP_ITERATIVE)
            rc, tc = cv2.solvePnPRefineLM(MODEL, seen, camera, None, r.copy(), t.copy(),
                                          (cv2.TERM_CRITERIA_COUNT + cv2.TERM_CRITERIA_EPS, 2000, 1e-15))
            (y1, p1), (y2, p2) = yaw_pitch(r), yaw_pitch(rc)
            diffs.append(max(abs(y1 - y2), abs(p1 - p2)))
            extra.append(cost(r, t, seen, camera) - cost(rc, tc, seen, camera))
        if diffs:
            print(f"{path.split('/')[-1]:24s} frames {len(diffs):4d}  yaw/pitch off the minimum: median {np.median(diffs):.3f}, "
                  f"max {max(diffs):.3f} deg; extra cost median {np.median(extra):.4f} px^2, min {min(extra):.4f}")
            every += diffs
    if every:
        print(f"all: {len(every)} frames, median {np.median(every):.3f} deg, 99th percentile {np.percentile(every, 99):.3f}, "
              f"max {max(every):.3f}; {sum(d > 0.1 for d in every)} frames more than 0.1 deg off")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
