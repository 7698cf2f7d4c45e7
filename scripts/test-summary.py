#!/usr/bin/env python3
"""test-summary.py -- count test cases in meson's testlog.json.

TAP tests count each "ok"/"not ok" line; a test that printed no TAP (or
crashed before its plan completed) counts as one case by its meson result.
Prints "N skipped" when some were (outside CI, absent ../shared data), then
"N passed, N failed" as the last line, and exits 1 if anything failed."""
import json
import re
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        t = json.loads(line)
        out = t.get("stdout") or ""
        oks = len(re.findall(r"^ok \d+(?! # SKIP)", out, re.M | re.I))
        skips = len(re.findall(r"^ok \d+.*# SKIP", out, re.M | re.I))
        bad = len(re.findall(r"^not ok \d+", out, re.M))
        result = t.get("result")
        if oks + skips + bad == 0:
            if result == "OK":
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
            continue
        passed += oks
        skipped += skips
        failed += bad
        # A crash after some cases passed still fails the run.
        if result not in ("OK", "SKIP", "EXPECTEDFAIL") and bad == 0:
            failed += 1
if skipped:
    print(f"{skipped} skipped")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
