#!/usr/bin/env python3
"""Does the upper eyelid follow the iris vertically?  A measurement on real recordings.

Backs a liveness check ("when the person looks down, the upper-lid landmarks move down with the iris").
For stretches of real video where a person looks ahead and stretches where the same person looks down,
it measures, relative to the line through the two eye corners and in eye widths:

  * the upper lid  (dlib 68-point landmarks, mean of eye points 1 and 2),
  * the lower lid  (mean of eye points 4 and 5),
  * the iris centre (MediaPipe Face Mesh refined iris landmarks 468 / 473; a dark-blob centroid inside
    the dlib eye polygon if MediaPipe is not installed).

Geometry (0-based dlib 68 indices; eyes are points 36-41 and 42-47; in each 6-point eye, corners are
points 0 and 3, upper lid 1 and 2, lower lid 4 and 5).  For a point P:
    offset(P) = ((P - mid) . n) / w
with mid = midpoint of the two corners, w = corner distance, u = unit corner direction (ux, uy) and
n = (-uy, ux), the unit normal pointing down in the image (image y grows downwards).  Positive = below
the corner line.  Values of the two eyes are averaged per frame.

For each person and stretch the per-frame values are reduced to their median; the "move" of a quantity
is median(down stretch) - median(the person's ahead frames).  Ratios upper/iris and lower/iris then say how far the
lids travel per unit of iris travel.

Usage (from the project root, with the peers venv of ../shared/tools/setup-peers.sh):
    .build/peers-venv/bin/python scripts/lid-follow-study.py ../shared/data [--frames] [--dump OUT.json]
--frames also prints the per-frame values of every stretch; --dump writes every measured frame
(landmarks, iris centres, offsets) of the used videos as JSON, for checking.
"""
import argparse
import json
import os
import sys

import numpy as np
import cv2
import dlib

try:
    import mediapipe as mp
except ImportError:  # fall back to the dark-blob iris centre
    mp = None

DLIB_MODEL = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
DETECT_THRESHOLD = -1.0  # dlib detector score threshold (default 0); see measure_video()
MIN_FACE_PX = 100        # the studied faces are 120-190 px wide in these 1280x720 videos

# ---------------------------------------------------------------------------------------------------
# Stretches, PICKED BY EYE: frames of each video were saved as PNG contact sheets (every 10th / 15th
# frame) and as enlarged eye crops (every 3rd frame) and looked at; a stretch is listed only where the
# gaze is clearly ahead (towards the camera / straight ahead) or clearly down (at the paper or table),
# with the transition frames and blinks around it left out.  A person is found in the video's first frame
# by the horizontal centre of their dlib face box (x_range, pixels in the full frame), then followed.
# Ranges are 0-based and inclusive.
# ---------------------------------------------------------------------------------------------------
STUDY = [
    {
        "video": "videos/video02.mp4",
        "person": "video02 left girl (dark hair, bun)",
        "x_range": (250, 560),
        "ahead": [(30, 72),     # head up, eyes into the camera
                  (198, 213)],  # back to the camera after turning to her right (110-190 near profile: unused)
        "down": [(0, 20),       # eyes down at the paper she holds (24-29: lifting her gaze)
                 (78, 92)],     # eyes down at the paper again (93 on: turns her head to her right)
    },
    {
        "video": "videos/video02.mp4",
        "person": "video02 right girl (yellow headband)",
        "x_range": (760, 1100),
        "ahead": [(114, 158)],  # head up, eyes ahead and a little up (at someone above/left of the camera)
        "down": [(0, 100),      # head bowed far down, eyes down at the paper; lids look nearly closed
                 (174, 213)],   # head less bowed, eyes down at the paper (162-172: a blink into the down gaze)
    },
    {
        "video": "videos/video01.mp4",
        "person": "video01 girl in pink (centre)",
        "x_range": (600, 900),
        "ahead": [(0, 78)],     # eyes into the camera
        "down": [(90, 160)],    # eyes down at the cards on the table (84: lowering her gaze)
    },
]

LEFT_EYE = list(range(36, 42))   # image-left eye (the subject's right eye)
RIGHT_EYE = list(range(42, 48))  # image-right eye (the subject's left eye)
MP_IRIS = (468, 473)             # MediaPipe refined iris centres (one per eye; matched to dlib eyes by distance)


def offsets_below_corner_line(eye, iris):
    """eye: (6, 2) dlib eye points; iris: (2,) iris centre or None.
    Returns (upper, lower, iris) offsets below the corner line, in eye widths."""
    c0, c3 = eye[0], eye[3]
    mid = (c0 + c3) / 2.0
    d = c3 - c0
    w = float(np.hypot(*d))
    u = d / w
    n = np.array([-u[1], u[0]])  # unit normal; for a left-to-right corner direction it points down (+y)
    if n[1] < 0:                 # corners always run left to right here, but keep the normal pointing down
        n = -n
    off = lambda p: float(np.dot(p - mid, n) / w)
    upper = (off(eye[1]) + off(eye[2])) / 2.0
    lower = (off(eye[4]) + off(eye[5])) / 2.0
    return upper, lower, (off(iris) if iris is not None else None)


def dark_blob_centre(gray, eye):
    """Fallback iris centre: centroid of the darkest pixels inside the dlib eye polygon."""
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(mask, eye.astype(np.int32), 255)
    vals = gray[mask > 0]
    if vals.size < 10:
        return None
    thr = np.percentile(vals, 25)
    ys, xs = np.nonzero((mask > 0) & (gray <= thr))
    return np.array([xs.mean(), ys.mean()]) if xs.size else None


class IrisFinder:
    """MediaPipe Face Mesh (refined iris) run on a crop around one dlib face box."""

    def __init__(self):
        self.mesh = None
        if mp is not None:
            self.mesh = mp.solutions.face_mesh.FaceMesh(
                static_image_mode=True, max_num_faces=1, refine_landmarks=True,
                min_detection_confidence=0.3)

    def find(self, bgr, rect, eyes):
        """Returns one iris centre per dlib eye (list of 2 arrays or None), and the method used."""
        if self.mesh is None:
            g = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
            return [dark_blob_centre(g, e) for e in eyes], "blob"
        H, W = bgr.shape[:2]
        x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
        m = int(0.6 * (x1 - x0))
        cx0, cy0, cx1, cy1 = max(0, x0 - m), max(0, y0 - m), min(W, x1 + m), min(H, y1 + m)
        crop = bgr[cy0:cy1, cx0:cx1]
        scale = 384.0 / max(crop.shape[:2])  # Face Mesh works on ~192-256 px faces; enlarge small crops
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        res = self.mesh.process(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))
        if not res.multi_face_landmarks:
            return [None, None], "none"
        lm = res.multi_face_landmarks[0].landmark
        h, w = crop.shape[:2]
        irises = [np.array([lm[i].x * w / scale + cx0, lm[i].y * h / scale + cy0]) for i in MP_IRIS]
        out = []
        for e in eyes:  # the iris closest to each dlib eye centre; reject if it is not near that eye
            ec = e.mean(axis=0)
            wdt = np.hypot(*(e[3] - e[0]))
            best = min(irises, key=lambda p: np.hypot(*(p - ec)))
            out.append(best if np.hypot(*(best - ec)) < 0.6 * wdt else None)
        return out, "mediapipe"


def measure_video(path, detector, predictor, finder, wanted_frames):
    """Per frame in wanted_frames: list of faces with landmarks, iris centres and offsets."""
    cap = cv2.VideoCapture(path)
    out = {}
    i = 0
    last = max(wanted_frames)
    while i <= last:
        ok, bgr = cap.read()
        if not ok:
            break
        if i in wanted_frames:
            gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
            faces = []
            # dlib's frontal (HOG) face detector at a lowered threshold: with the default threshold (0) it
            # misses most frames where these children tilt their heads down to look at the paper, which are
            # exactly the frames this study needs.  -1.0 finds every studied face in every frame but one;
            # the extra false detections it brings that are small (< 100 px) are dropped here, the large
            # ones by following each person from frame to frame (see track() below).
            rects, scores, _ = detector.run(gray, 0, DETECT_THRESHOLD)
            for rect, score in zip(rects, scores):
                if rect.width() < MIN_FACE_PX:
                    continue
                shape = predictor(gray, rect)
                pts = np.array([[shape.part(k).x, shape.part(k).y] for k in range(68)], float)
                eyes = [pts[LEFT_EYE], pts[RIGHT_EYE]]
                irises, how = finder.find(bgr, rect, eyes)
                per_eye = [offsets_below_corner_line(e, c) for e, c in zip(eyes, irises)]
                up = float(np.mean([p[0] for p in per_eye]))
                lo = float(np.mean([p[1] for p in per_eye]))
                ir = [p[2] for p in per_eye if p[2] is not None]
                faces.append({
                    "score": float(score),
                    "cx": (rect.left() + rect.right()) / 2.0,
                    "box": [rect.left(), rect.top(), rect.right(), rect.bottom()],
                    "eyes": [e.tolist() for e in eyes],
                    "iris": [None if c is None else c.tolist() for c in irises],
                    "iris_method": how,
                    "upper": up, "lower": lo,
                    "irisoff": float(np.mean(ir)) if len(ir) == 2 else None,  # need both eyes
                    "eye_width": float(np.mean([np.hypot(*(e[3] - e[0])) for e in eyes])),
                })
            out[i] = faces
        i += 1
    return out


def track(m, x_range, n_frames):
    """Follows one person through a measured video m (frame -> faces): returns frame -> their face (or
    None).  The lowered detection threshold also brings some large false boxes (paper, hands,
    background); so the person starts as the best-scoring box whose centre lies in x_range, and in each
    later frame is the box whose centre is nearest the person's last known centre, within half a face
    width; otherwise they are not found in that frame."""
    lo_x, hi_x = x_range
    centre = lambda f: np.array([(f["box"][0] + f["box"][2]) / 2.0, (f["box"][1] + f["box"][3]) / 2.0])
    prev, out = None, {}
    for fr in range(n_frames):
        faces = m.get(fr, m.get(str(fr), []))
        if prev is None:
            cands = [f for f in faces if lo_x <= f["cx"] < hi_x]
            f = max(cands, key=lambda f: f["score"]) if cands else None
        else:
            pc, pw = centre(prev), prev["box"][2] - prev["box"][0]
            near = [f for f in faces if np.hypot(*(centre(f) - pc)) < 0.5 * pw]
            f = min(near, key=lambda f: np.hypot(*(centre(f) - pc))) if near else None
        out[fr] = f
        if f is not None:
            prev = f
    return out


def frames_of(ranges):
    return [f for a, b in ranges for f in range(a, b + 1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", help="the shared data folder (../shared/data)")
    ap.add_argument("--frames", action="store_true", help="print per-frame values too")
    ap.add_argument("--dump", help="write all measured frames as JSON here")
    args = ap.parse_args()

    if not os.path.exists(DLIB_MODEL):
        sys.exit(f"missing {DLIB_MODEL} (apt install libdlib-data)")
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(DLIB_MODEL)
    finder = IrisFinder()
    print(f"iris centre from: {'MediaPipe Face Mesh 468/473' if finder.mesh else 'dark-blob centroid'}")

    # Measure each video once, on every frame from 0 to the last frame any stretch needs (every frame, so
    # that each person can be followed from frame to frame; see track()).
    last = {}
    for s in STUDY:
        last[s["video"]] = max(last.get(s["video"], 0), max(frames_of(s["ahead"] + s["down"])))
    measured = {}
    for v, n in last.items():
        measured[v] = measure_video(os.path.join(args.data, v), detector, predictor, finder, set(range(n + 1)))
    if args.dump:
        with open(args.dump, "w") as f:
            json.dump({v: {str(k): fs for k, fs in m.items()} for v, m in measured.items()}, f)

    def values(s, ranges):
        """Per-frame (frame, upper, lower, iris, eye width) of person s in the given frame ranges."""
        tracked = track(measured[s["video"]], s["x_range"], last[s["video"]] + 1)
        rows = []
        for fr in frames_of(ranges):
            f = tracked.get(fr)
            if f is None or f["irisoff"] is None:
                continue  # face not found, or iris not found in both eyes: skip this frame
            rows.append((fr, f["upper"], f["lower"], f["irisoff"], f["eye_width"]))
        return rows

    print("\nMedian offsets below the eye-corner line, in eye widths (positive = lower in the image)")
    header = (f"{'person':38s} {'stretch':>16s} {'frames':>6s} {'eye w px':>8s} "
              f"{'upper':>7s} {'lower':>7s} {'iris':>7s}")
    print(header)
    print("-" * len(header))
    moves = []
    for s in STUDY:
        pooled = {}
        per_stretch = []
        for kind in ("ahead", "down"):
            all_rows = []
            for rng in s[kind]:
                rows = values(s, [rng])
                all_rows += rows
                if args.frames:
                    for r in rows:
                        print(f"    {kind:5s} frame {r[0]:4d}: upper {r[1]:+.3f} lower {r[2]:+.3f} iris {r[3]:+.3f}")
                med = np.median(np.array([r[1:] for r in rows]), axis=0)
                per_stretch.append((kind, rng, med))
                print(f"{s['person']:38s} {kind:>5s} {rng[0]:4d}-{rng[1]:<4d} {len(rows):6d} {med[3]:8.1f} "
                      f"{med[0]:+7.3f} {med[1]:+7.3f} {med[2]:+7.3f}")
            pooled[kind] = np.median(np.array([r[1:] for r in all_rows]), axis=0)
        # Each down stretch against the person's ahead frames (all ahead stretches pooled), then all down
        # frames pooled against all ahead frames.
        for kind, rng, med in per_stretch:
            if kind == "down":
                moves.append((s["person"], f"down {rng[0]}-{rng[1]}", med[:3] - pooled["ahead"][:3]))
        if len(s["down"]) > 1:
            moves.append((s["person"], "down, all", pooled["down"][:3] - pooled["ahead"][:3]))

    print("\nMoves: median over the down frames minus median over the person's ahead frames, in eye widths")
    header = (f"{'person':38s} {'down frames':>15s} {'iris move':>9s} {'upper move':>10s} {'lower move':>10s} "
              f"{'upper/iris':>10s} {'lower/iris':>10s}")
    print(header)
    print("-" * len(header))
    for person, label, (du, dl, di) in moves:
        print(f"{person:38s} {label:>15s} {di:+9.3f} {du:+10.3f} {dl:+10.3f} {du / di:10.2f} {dl / di:10.2f}")


if __name__ == "__main__":
    main()
