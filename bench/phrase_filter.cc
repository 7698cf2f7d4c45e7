// phrase_filter.cc -- what a per-article filter of word pairs would save a
// phrase search, without building one.
//
// usage: phrase_filter INDEX FP WORD WORD...
//
// The alternative to a pair index that keeps the index small: a few bytes
// per article in a value slot, a Bloom filter of its adjacent word pairs,
// checked before the phrase's positions are read. This times, on INDEX,
// the phrase of the (folded) WORDs counted exactly, alone and ANDed with a
// filter (a PostingSource) that reads one value per candidate (slot 3, the
// facet items, about the size such a filter would be: ~50 bytes) and
// accepts what a filter with false-positive rate FP per pair would: the
// articles that hold every adjacent pair (found beforehand, by the phrases
// of each pair), and a fraction FP of the others (FP^(pairs) would be the
// real rate: this overstates what is accepted for longer phrases). Same
// counts either way; the times show the gain. Also times the AND of the
// words with and without the value read, which is the filter's own cost.
// Not a test: figures.
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct PairFilter : Xapian::PostingSource {
    Xapian::Database db;
    const std::vector<char> *holds;   // articles with every pair (NULL: accept all)
    double fp;
    Xapian::ValueIterator it;
    Xapian::docid cur = 0;
    bool done = false;

    PairFilter(const Xapian::Database &d, const std::vector<char> *h, double f)
        : db(d), holds(h), fp(f) {}
    Xapian::doccount get_termfreq_min() const override { return 0; }
    // As common as can be: the AND checks it last, on its candidates only.
    Xapian::doccount get_termfreq_est() const override { return db.get_doccount(); }
    Xapian::doccount get_termfreq_max() const override { return db.get_doccount(); }
    void init(const Xapian::Database &d) override
    {
        db = d;
        it = db.valuestream_begin(3);
        cur = 0;
        done = false;
    }
    bool accept(Xapian::docid did)
    {
        if (it == db.valuestream_end(3) || !it.check(did) || it == db.valuestream_end(3) ||
            it.get_docid() != did || (*it).empty())
            return true;   // no value: cannot exclude
        if (!holds || (*holds)[did]) return true;
        return ((did * 2654435761u) >> 8) < fp * (1u << 24);
    }
    void next(double w) override { skip_to(cur + 1, w); }
    void skip_to(Xapian::docid did, double) override
    {
        for (cur = did; cur <= db.get_lastdocid(); cur++)
            if (accept(cur)) return;
        done = true;
    }
    bool check(Xapian::docid did, double) override
    {
        cur = did;
        if (did > db.get_lastdocid()) {
            done = true;
            return true;
        }
        return accept(did);
    }
    bool at_end() const override { return done; }
    Xapian::docid get_docid() const override { return cur; }
};

// Count q's matches exactly; *ms the time it took.
Xapian::doccount count(const Xapian::Database &db, const Xapian::Query &q, double *ms)
{
    auto t0 = std::chrono::steady_clock::now();
    Xapian::Enquire e(db);
    e.set_query(q);
    Xapian::doccount n = e.get_mset(0, 10, db.get_doccount()).get_matches_estimated();
    *ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return n;
}

Xapian::Query with_filter(const Xapian::Query &q, PairFilter *f)
{
    return Xapian::Query(Xapian::Query::OP_AND, q, Xapian::Query(f->release()));
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 5) {
        std::fprintf(stderr, "usage: phrase_filter INDEX FP WORD WORD...\n");
        return 2;
    }
    try {
        Xapian::Database db(argv[1]);
        double fp = std::atof(argv[2]);
        std::vector<Xapian::Query> words, pairs;
        for (int i = 3; i < argc; i++) words.emplace_back(argv[i]);
        for (size_t i = 0; i + 1 < words.size(); i++)
            pairs.emplace_back(Xapian::Query::OP_PHRASE, &words[i], &words[i] + 2, 2);
        Xapian::Query phrase(Xapian::Query::OP_PHRASE, words.begin(), words.end(), words.size());
        Xapian::Query all(Xapian::Query::OP_AND, words.begin(), words.end());
        Xapian::Query every_pair(Xapian::Query::OP_AND, pairs.begin(), pairs.end());

        std::vector<char> holds(db.get_lastdocid() + 1);
        Xapian::Enquire e(db);
        e.set_query(every_pair);
        Xapian::MSet m = e.get_mset(0, db.get_doccount());
        for (auto i = m.begin(); i != m.end(); ++i) holds[*i] = 1;

        double ms[4];
        Xapian::doccount n[4];
        for (int round = 0; round < 2; round++) {   // the second, warm, is printed
            n[0] = count(db, all, &ms[0]);
            n[1] = count(db, with_filter(all, new PairFilter(db, nullptr, 1)), &ms[1]);
            n[2] = count(db, phrase, &ms[2]);
            n[3] = count(db, with_filter(phrase, new PairFilter(db, &holds, fp)), &ms[3]);
        }
        std::printf("AND %u: %.1f ms, + a value read each %.1f ms | every pair %zu | "
                    "phrase %u: %.1f ms, filtered (fp %.2f) %u: %.1f ms\n",
                    n[0], ms[0], ms[1], (size_t)m.size(), n[2], ms[2], fp, n[3], ms[3]);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "phrase_filter: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
