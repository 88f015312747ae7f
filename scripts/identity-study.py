#!/usr/bin/env python3
"""The challenge's identity checks on the ZJU clips (README, "Face matching"): each of the 10 people
enrolled from their FBN clip (`gazetop enroll`), then every one of the 40 clips scored as a challenge
recording (`challenge --input CLIP --sequence 2,4 --area-duration 1 --start 0.5`, the generic mapping as
the saved calibration) with `--enrolled` its own person and, once more, the next person. Prints per clip
the `same_person` spread and the `enrolled_person` distance, then the summary the README quotes.

usage: identity-study.py GAZETOP   (state goes to a scratch folder; nothing of the user's is touched)
"""
import json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLIPS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "zju-eyeblink"))
CALIBRATION = {"version": 1, "created": "2026-01-01T00:00:00Z", "right": [0, -45, 0, -1, 0],
               "up": [0, 0, -120, 0, 1], "rms_error_deg": 0, "frames": 0}


def main():
    gazetop = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", ".build", "release", "gazetop")
    clips = sorted(f[:-4] for f in os.listdir(CLIPS) if f.endswith(".mp4"))
    person = lambda clip: int(clip.split("_")[1].rstrip("M"))
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, XDG_STATE_HOME=scratch + "/state", XDG_CONFIG_HOME=scratch + "/config")
        calibration, result = scratch + "/calibration.json", scratch + "/result.json"
        with open(calibration, "w") as f:
            json.dump(CALIBRATION, f)
        for p in sorted({person(c) for c in clips}):
            first = next(c for c in clips if person(c) == p and c.endswith("FBN"))
            subprocess.run([gazetop, "enroll", f"p{p}", f"{CLIPS}/{first}.mp4"], env=env, check=True, capture_output=True)
        rows = []
        for clip in clips:
            for who in (person(clip), person(clip) % 10 + 1):
                subprocess.run([gazetop, "challenge", "--input", f"{CLIPS}/{clip}.mp4", "--sequence", "2,4",
                                "--area-duration", "1", "--start", "0.5", "--calibration", calibration,
                                "--enrolled", f"p{who}", "--result", result], env=env, capture_output=True)
                with open(result) as f:
                    r = json.load(f)
                checks = {c["name"]: c["value"] for c in r["checks"]}
                genuine = who == person(clip)
                rows.append((clip, genuine, checks["same_person"], checks["enrolled_person"],
                             r["identity"]["descriptors"], r["identity"]["descriptor_time"]))
                print(f"{clip} {'genuine ' if genuine else 'impostor'} same_person {checks['same_person']:.3f} "
                      f"enrolled_person {checks['enrolled_person']:.3f} ({r['identity']['descriptors']} descriptors, "
                      f"{r['identity']['descriptor_time']:.3f} s)")
    threshold = 0.34
    spreads = [r[2] for r in rows if r[1]]
    others = [r for r in rows if r[1] and not r[0].endswith("FBN")]
    frontal = [r for r in others if not r[0].endswith("UNN")]
    impostors = [r[3] for r in rows if not r[1]]
    times = sorted(r[5] / r[4] for r in rows if r[4])
    print(f"same_person spread, one person's clip: {min(spreads):.3f}-{max(spreads):.3f}")
    print(f"enrolled_person, the person's other clips: {sum(r[3] <= threshold for r in others)}/{len(others)} within "
          f"{threshold} (frontal {sum(r[3] <= threshold for r in frontal)}/{len(frontal)}), "
          f"distances {min(r[3] for r in others):.3f}-{max(r[3] for r in others):.3f}")
    print(f"enrolled_person, another person: {sum(d <= threshold for d in impostors)}/{len(impostors)} within "
          f"{threshold}, closest {min(impostors):.3f}")
    print(f"descriptor time: median {times[len(times) // 2] * 1000:.1f} ms a descriptor (wall clock)")


if __name__ == "__main__":
    main()
