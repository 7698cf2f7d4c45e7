#!/usr/bin/env python3
"""gen_corpus.py -- a synthetic corpus of N articles for the scaling benchmark,
made by recombining sentences of the real corpus (vi-news-baomoi and
vi-news-dantri).

usage: gen_corpus.py N OUT_DIR [--seed S] [--src PATH]...

--src is a corpus folder or a .tar.xz of one (repeatable); the default is
../shared/corpus/vi-news-baomoi.tar.xz and vi-news-dantri.tar.xz, read
straight from the archives. OUT_DIR/NNNN/synNNNNNNN.txt, 1,000 files per
folder. The same N, seed and sources give the same files.

Each article is plausible to the indexer:
  - dantri-style headers: `# doc_id = syn-...`, `# url = ...`,
    `# date = YYYYMMDD` (a day from 2017-01-01 to 2025-06-30);
  - the title and body of a real article picked at random (the "base"),
    each body sentence replaced, with probability 0.3, by a sentence drawn
    from the whole corpus; so lengths follow the real distribution and
    words keep co-occurring as in real articles (sentences drawn from the
    whole corpus alone make every article a mix of all topics: queries then
    match many more articles than on real news, which skews search times);
  - every article is about one province (of the 63 in data/gazetteer.tsv):
    the one its base names first in the title or lead, else one at random;
    it is named in the lead and, in half the articles, added to the title
    ("... ở Nghệ An", "Hà Tĩnh: ..."); sometimes a second province is named
    in the body; paragraphs of 1 to 4 sentences;
  - one article in 12 cites a resolution ("Nghị quyết số 57-NQ/TW", ...).
The vocabulary is the real corpus's: the term dictionary does not grow with
N as a real corpus's would (new names, places, events), so index size grows
a little slower than it would on N real articles. Beyond ~38,000 articles
each real article is the base of several synthetic ones (~9 at 350,000),
sharing ~70% of their sentences: like one story carried by several papers,
as on an aggregator such as baomoi."""
import argparse
import datetime
import io
import os
import random
import re
import sys
import tarfile

from benchlib import provinces

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(REPO, "..", "shared", "corpus")

RESOLUTIONS = [("57-NQ/TW", "Bộ Chính trị"), ("39-NQ/TW", "Bộ Chính trị"),
               ("18-NQ/TW", "Ban Chấp hành Trung ương"), ("19-NQ/TW", "Ban Chấp hành Trung ương"),
               ("29-NQ/TW", "Ban Chấp hành Trung ương"), ("52-NQ/TW", "Bộ Chính trị"),
               ("35/NQ-CP", "Chính phủ"), ("01/NQ-CP", "Chính phủ"), ("02/NQ-CP", "Chính phủ"),
               ("111-NQ/TU", "Tỉnh ủy"), ("202/2025/QH15", "Quốc hội")]
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ỸĐ\"“(])")


def read_sources(srcs):
    """Yield the text of every .txt article in folders or .tar.xz archives."""
    for src in srcs:
        if os.path.isdir(src):
            for dirpath, dirs, files in os.walk(src):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith(".txt"):
                        with open(os.path.join(dirpath, f), encoding="utf-8",
                                  errors="replace") as fh:
                            yield fh.read()
        else:
            with tarfile.open(src, "r:*") as tar:
                for m in tar:
                    if m.isfile() and m.name.endswith(".txt"):
                        yield tar.extractfile(m).read().decode("utf-8", "replace")


def load(srcs):
    """(titles, sentences as UTF-8 bytes, [(first, end) sentence index of
    each article])."""
    titles, sentences, spans = [], [], []
    for text in read_sources(srcs):
        lines = [ln.strip() for ln in text.splitlines()]
        lines = [ln for ln in lines if ln and not ln.startswith("# ")]
        if len(lines) < 2:
            continue
        first = len(sentences)
        for para in lines[1:]:
            for s in SENTENCE_END.split(para):
                if len(s) > 20:
                    sentences.append(s.encode())
        if len(sentences) - first >= 2:
            titles.append(lines[0])
            spans.append((first, len(sentences)))
        else:
            del sentences[first:]
    return titles, sentences, spans


def unit(p):
    cities = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
    if p in cities:
        return "thành phố " + p if p != "Hồ Chí Minh" else "TP Hồ Chí Minh"
    return "tỉnh " + p


def title_with(rng, title, p):
    k = rng.random()
    if k < 0.25:
        return "%s: %s" % (p, title)
    if k < 0.5:
        return "%s ở %s" % (title, p)
    return title


def lead(rng, p, day, sentence):
    k = rng.random()
    if k < 0.4:
        return "(%s) – %s" % (p, sentence)
    if k < 0.7:
        return "Ngày %d/%d, UBND %s cho biết: %s" % (day.day, day.month, unit(p), sentence)
    return "Tại %s, %s" % (p, sentence[:1].lower() + sentence[1:])


def article(rng, i, seed, titles, sentences, spans, provs, prov_re, start, span):
    base = rng.randrange(len(titles))
    first, end = spans[base]
    # the province the base article names first, if any; else any province
    m = prov_re.search(titles[base] + "\n" + sentences[first].decode())
    p = m.group(1) if m else rng.choice(provs)
    day = start + datetime.timedelta(days=rng.randrange(span))
    title = title_with(rng, titles[base], p) if rng.random() < 0.5 else titles[base]
    body = [sentences[j] if rng.random() >= 0.3 else rng.choice(sentences)
            for j in range(first, end)]
    body[0] = lead(rng, p, day, body[0].decode()).encode()
    if rng.random() < 1 / 12:
        num, issuer = rng.choice(RESOLUTIONS)
        s = "Thực hiện Nghị quyết số %s của %s, %s đã ban hành kế hoạch hành động." % (
            num, issuer, unit(p))
        body.insert(rng.randrange(1, len(body) + 1), s.encode())
    if rng.random() < 0.3:
        s = "Đoàn công tác của %s cũng tham dự và trao đổi kinh nghiệm." % unit(rng.choice(provs))
        body.insert(rng.randrange(1, len(body) + 1), s.encode())
    out = io.BytesIO()
    ident = "syn-%d-%07d" % (seed, i)
    out.write(("# doc_id = %s\n# url = https://synthetic.example.vn/%s.htm\n# date = %s\n%s\n"
               % (ident, ident, day.strftime("%Y%m%d"), title)).encode())
    j = 0
    while j < len(body):
        k = rng.randint(1, 4)
        out.write(b" ".join(body[j:j + k]) + b"\n")
        j += k
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser(description="synthetic corpus for the scaling benchmark")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src", action="append")
    a = ap.parse_args()
    srcs = a.src or [os.path.join(SHARED, "vi-news-baomoi.tar.xz"),
                     os.path.join(SHARED, "vi-news-dantri.tar.xz")]
    titles, sentences, spans = load(srcs)
    if not sentences:
        sys.exit("gen_corpus.py: no articles in " + " ".join(srcs))
    print("gen_corpus: %d articles, %d sentences read" % (len(titles), len(sentences)),
          file=sys.stderr)
    provs = provinces()
    prov_re = re.compile(r"\b(%s)\b" % "|".join(
        re.escape(p) for p in sorted(provs, key=len, reverse=True)))
    rng = random.Random(a.seed)
    start = datetime.date(2017, 1, 1)
    span = (datetime.date(2025, 6, 30) - start).days + 1
    for i in range(a.n):
        d = os.path.join(a.out, "%04d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "syn%07d.txt" % i), "wb") as f:
            f.write(article(rng, i, a.seed, titles, sentences, spans, provs, prov_re, start,
                            span))


if __name__ == "__main__":
    main()
