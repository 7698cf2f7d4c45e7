"""benchlib.py -- helpers shared by the benchmark's query and corpus generators."""
import os
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def strip_marks(s):
    """The text as typed without diacritics: NFD, marks dropped, đ -> d."""
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn")


def provinces():
    """Canonical names (with diacritics) of the 63 provinces, from the gazetteer."""
    out = []
    with open(os.path.join(REPO, "data", "gazetteer.tsv"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 2 and p[0] == "P":
                out.append(p[1])
    return out
