#!/usr/bin/env python3
"""Is gazetop's iris centre what keeps eye contact below target?  A measurement on the labelled clips.

For every labelled frame of ../shared/data/eye-contact/labels.json (`contact`: the person looks into the
camera; `away`: clearly elsewhere) this puts two iris centres into the same eye model
(Sources/GazeCore/EyeModel.swift: pupilRadius 0.36 eye widths, depth 0.065, the zero point the median
of the clips' medians) and asks how many frames land in the 10-degree cone:

  * gazetop's own iris centre: `pupilOffsetLeft/Right` of `gazetop analyze --raw` (cvs::locate_iris),
  * MediaPipe Face Mesh's refined iris centres (landmarks 468 / 473), measured against dlib's eye
    corners (python dlib, the same 68-point model) exactly as gazetop measures its own.

Per frame, without smoothing or hysteresis (so lower than `gazetop evaluate --eye-contact`), and with the
zero point left one person out (fitted on the other nine people, scored on the tenth).  It also prints the
spread between people of each measure on `contact` frames: if a better iris does not shrink it, the
person's own zero (anatomy, where dlib puts their corners, where exactly they looked), not the iris
centre, is what is left.

Usage (from the project root, with the peers venv of ../shared/tools/setup-peers.sh and a built gazetop):
    .build/peers-venv/bin/python scripts/iris-reference-study.py ../shared/data [--gazetop .build/release/gazetop]
"""
import argparse
import collections
import json
import math
import os
import subprocess
import sys

import numpy as np
import cv2
import dlib
import mediapipe as mp

DLIB_MODEL = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
PUPIL_RADIUS = 0.36   # EyeModel.pupilRadius, eye widths
DEPTH = 0.065         # EyeModel.depth, eye widths
CONE_DEG = 10.0       # EyeContactConfig.enterConeDeg
MP_IRIS = (468, 473)  # MediaPipe's refined iris centres, matched to dlib's eyes by distance


def offset(eye, point):
    """`point` against the eye's corners (dlib eye points 0 and 3): across in half widths, down in eye
    widths, as EyeObservation.pupilOffset measures it."""
    a, b = eye[0], eye[3]
    mid, w = (a + b) / 2, np.linalg.norm(b - a)
    u = (b - a) / w
    n = np.array([-u[1], u[0]])
    return float(np.dot(point - mid, u) / (w / 2)), float(np.dot(point - mid, n) / w)


def angles(x, y, yaw, cx, cy):
    """EyeModel.gaze: degrees right and up of the camera."""
    c = math.cos(math.radians(yaw))
    dx = x - (cx - 2 * DEPTH * math.tan(math.radians(yaw)))
    across = max(-1.0, min(1.0, dx * c / 2 / PUPIL_RADIUS))
    down = max(-1.0, min(1.0, (y * c - cy) / PUPIL_RADIUS))
    return -math.degrees(math.asin(across)), -math.degrees(math.asin(down))


def measure(data, clip, gazetop, detector, predictor, mesh):
    """Per labelled frame with a face in both pipelines: gazetop's and MediaPipe's iris offsets (the
    mean of the two eyes) and gazetop's head yaw."""
    path = os.path.join(data, clip["file"])
    contact = {f for a, b in clip["contact"] for f in range(a, b + 1)}
    away = {f for a, b in clip["away"] for f in range(a, b + 1)}
    run = subprocess.run([gazetop, "analyze", path, "--raw"], capture_output=True, text=True, check=True)
    ours = {}
    for line in run.stdout.splitlines():
        r = json.loads(line)
        raw = r.get("raw") or {}
        if "pupilOffsetLeft" in raw and r.get("headPose"):
            ours[r["frame"]] = (raw["pupilOffsetLeft"], raw["pupilOffsetRight"], r["headPose"]["yaw"])
    rows, capture, i = [], cv2.VideoCapture(path), 0
    while True:
        ok, bgr = capture.read()
        if not ok:
            break
        # MediaPipe tracks: every frame goes through it, labelled or not.
        found = mesh.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        if (i in contact or i in away) and i in ours and found.multi_face_landmarks:
            grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
            boxes = detector(grey, 1)
            if boxes:
                box = max(boxes, key=lambda b: b.width())
                shape = predictor(grey, box)
                points = np.array([[shape.part(k).x, shape.part(k).y] for k in range(68)], float)
                h, w = grey.shape
                marks = found.multi_face_landmarks[0].landmark
                irises = [np.array([marks[k].x * w, marks[k].y * h]) for k in MP_IRIS]
                theirs = []
                for eye in (points[36:42], points[42:48]):
                    iris = min(irises, key=lambda c: np.linalg.norm(c - eye.mean(axis=0)))
                    theirs.append(offset(eye, iris))
                left, right, yaw = ours[i]
                rows.append({"frame": i, "away": i in away, "yaw": yaw,
                             "gazetop": (np.mean([left[0], right[0]]), np.mean([left[1], right[1]])),
                             "mediapipe": tuple(np.mean(theirs, axis=0))})
        i += 1
    return rows


def person_of(clip_file):
    name = os.path.basename(clip_file)
    return name.split("_")[1] if name.count("_") >= 2 else name


def report(frames, key):
    contact = [r for r in frames if not r["away"]]
    away = [r for r in frames if r["away"]]
    clips = sorted({r["clip"] for r in contact})
    medians = {c: np.median([r[key] for r in contact if r["clip"] == c], axis=0) for c in clips}
    people = sorted({r["person"] for r in contact})

    def zero(rows_clips):
        return tuple(np.median([medians[c] for c in rows_clips], axis=0))

    hits, by_condition = [], collections.defaultdict(list)
    for person in people:
        cx, cy = zero([c for c in clips if person_of(c) != person])
        for r in contact:
            if r["person"] == person:
                inside = math.hypot(*angles(*r[key], r["yaw"], cx, cy)) <= CONE_DEG
                hits.append(inside)
                by_condition[os.path.splitext(r["clip"])[0][-3:]].append(inside)
    cx, cy = zero(clips)
    not_in = [math.hypot(*angles(*r[key], r["yaw"], cx, cy)) > CONE_DEG for r in away]
    per_person = collections.defaultdict(list)
    for c in clips:
        per_person[person_of(c)].append(medians[c])
    spread = np.std([np.mean(v, axis=0) for v in per_person.values()], axis=0)
    conditions = " ".join(f"{k} {np.mean(v):.3f}" for k, v in sorted(by_condition.items()))
    print(f"{key:10s} contact {np.mean(hits):.3f} ({conditions})  away not in contact "
          f"{np.mean(not_in) if not_in else float('nan'):.3f}  zero ({cx:+.3f}, {cy:+.3f})  "
          f"spread between people: across {spread[0]:.3f} half widths, down {spread[1]:.3f} eye widths")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="the shared data folder (../shared/data)")
    parser.add_argument("--gazetop", default=".build/release/gazetop", help="the gazetop binary")
    args = parser.parse_args()
    if not os.path.exists(DLIB_MODEL):
        sys.exit(f"missing {DLIB_MODEL} (apt install libdlib-data)")
    with open(os.path.join(args.data, "eye-contact", "labels.json")) as f:
        clips = json.load(f)["clips"]
    detector, predictor = dlib.get_frontal_face_detector(), dlib.shape_predictor(DLIB_MODEL)
    frames = []
    for clip in clips:
        # A fresh tracker per clip: MediaPipe's tracking must not carry one clip's face into the next.
        with mp.solutions.face_mesh.FaceMesh(static_image_mode=False, refine_landmarks=True, max_num_faces=1) as mesh:
            rows = measure(args.data, clip, args.gazetop, detector, predictor, mesh)
        for r in rows:
            r["clip"], r["person"] = os.path.basename(clip["file"]), person_of(clip["file"])
        frames += rows
        print(f"{clip['file']}: {len(rows)} labelled frames measured", file=sys.stderr)
    print(f"{len(frames)} labelled frames; per frame, no smoothing or hysteresis, the zero left one person out")
    report(frames, "gazetop")
    report(frames, "mediapipe")


if __name__ == "__main__":
    main()
