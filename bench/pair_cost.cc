// pair_cost.cc -- what a pair (shingle) index would add to an index's size.
//
// usage: pair_cost SHARD K OUT
//
// A pair index would make a quoted phrase of common syllables ("nha bao
// moi") cheap at scale: its matches are among the articles holding each of
// its adjacent pairs, a short posting list, instead of every article
// holding all its words, whose positions must all be read. This writes, to
// a new Xapian database OUT, one document per document of SHARD (same
// docid) holding only the pair terms ("XB<a> <b>", no positions) of its
// adjacent folded words where both are among the K most frequent in SHARD
// (the pairs that make phrases slow; a phrase with a rarer word is cheap
// already). `xapian-compact OUT OUT.c; du -sm OUT.c` is then what the pairs
// add to the compacted index. Prints the counts. Not a test: a figure.
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

// A plain folded word: no prefix (prefixes are upper case).
static bool plain(const std::string &t)
{
    unsigned char c = t.empty() ? 0 : (unsigned char)t[0];
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: pair_cost SHARD K OUT\n");
        return 2;
    }
    try {
        Xapian::Database db(argv[1]);
        size_t k = std::strtoul(argv[2], nullptr, 10);
        std::vector<std::pair<Xapian::doccount, std::string>> df;
        for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t)
            if (plain(*t)) df.emplace_back(t.get_termfreq(), *t);
        std::sort(df.rbegin(), df.rend());
        std::unordered_set<std::string> top;
        for (size_t i = 0; i < k && i < df.size(); i++) top.insert(df[i].second);

        Xapian::WritableDatabase out(argv[3], Xapian::DB_CREATE_OR_OVERWRITE);
        unsigned long long postings = 0, entries = 0;
        std::unordered_set<std::string> distinct;
        for (Xapian::PostingIterator p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
            Xapian::Document d = db.get_document(*p);
            std::vector<std::pair<Xapian::termpos, std::string>> seq;
            for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
                entries++;
                if (!top.count(*t)) continue;
                for (auto q = t.positionlist_begin(); q != t.positionlist_end(); ++q)
                    seq.emplace_back(*q, *t);
            }
            std::sort(seq.begin(), seq.end());
            std::unordered_set<std::string> pairs;
            for (size_t i = 0; i + 1 < seq.size(); i++)
                if (seq[i + 1].first == seq[i].first + 1)
                    pairs.insert("XB" + seq[i].second + " " + seq[i + 1].second);
            Xapian::Document nd;
            for (const auto &s : pairs) {
                nd.add_term(s);
                distinct.insert(s);
            }
            postings += pairs.size();
            out.replace_document(*p, nd);
        }
        out.commit();
        std::printf("K=%zu: %u documents, %llu term entries, %llu pair postings, %zu distinct pairs\n",
                    k, db.get_doccount(), entries, postings, distinct.size());
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "pair_cost: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
