// position_cost.cc -- what reading a document's positions costs through
// Xapian's public API, against Xapian's own phrase check.
//
// usage: position_cost DB WORD WORD...
//
// corpsearch checks some phrases itself (a phrase in a title: positions
// below CS_BODY_FIRST_POS, xapian-c's has_phrase_before), because Xapian
// 1.4 has no operator for "a phrase before position N". This times, over
// every candidate of the AND of the (folded) WORDs in DB (a single
// database: one shard), three ways of getting at their positions, each run
// three times:
//   open   Database::positionlist_begin(did, word) for each word;
//   iter   a PostingIterator per word, skip_to(did), positionlist_begin();
//   phrase OP_PHRASE of the words over the whole database (Xapian's matcher);
// with the read system calls each made (/proc/self/io, syscr: Xapian reads
// its blocks with pread). Not a test: figures.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

double now_ms()
{
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// Read system calls made by this process so far; 0 when /proc says nothing.
unsigned long long read_calls()
{
    std::ifstream io("/proc/self/io");
    std::string key;
    unsigned long long v;
    while (io >> key >> v)
        if (key == "syscr:") return v;
    return 0;
}

struct Probe {
    double ms;
    unsigned long long reads;
    long sum;   // of the first positions read: keeps the work from being optimised away
};

template <typename F> Probe timed(F f)
{
    unsigned long long r0 = read_calls();
    double t0 = now_ms();
    long sum = f();
    return {now_ms() - t0, read_calls() - r0, sum};
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: position_cost DB WORD WORD...\n");
        return 2;
    }
    try {
        Xapian::Database db(argv[1]);
        std::vector<std::string> words(argv + 2, argv + argc);
        Xapian::Enquire enq(db);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_query(Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()));
        Xapian::MSet all = enq.get_mset(0, db.get_doccount());
        std::vector<Xapian::docid> ids;
        for (Xapian::MSetIterator i = all.begin(); i != all.end(); ++i) ids.push_back(*i);
        std::sort(ids.begin(), ids.end());
        if (ids.empty()) {
            std::fprintf(stderr, "position_cost: no document holds every word\n");
            return 1;
        }
        const Xapian::Query phrase(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                                   (Xapian::termcount)words.size());
        std::printf("%zu candidates (documents holding every word)\n", ids.size());
        for (int round = 1; round <= 3; round++) {
            Probe open = timed([&] {
                long s = 0;
                for (Xapian::docid d : ids)
                    for (const std::string &w : words) s += *db.positionlist_begin(d, w);
                return s;
            });
            Probe iter = timed([&] {
                std::vector<Xapian::PostingIterator> pl;
                for (const std::string &w : words) pl.push_back(db.postlist_begin(w));
                long s = 0;
                for (Xapian::docid d : ids)
                    for (Xapian::PostingIterator &p : pl) {
                        p.skip_to(d);
                        s += *p.positionlist_begin();
                    }
                return s;
            });
            Probe ph = timed([&] {
                enq.set_query(phrase);
                return (long)enq.get_mset(0, db.get_doccount()).size();
            });
            double n = (double)ids.size();
            std::printf("round %d: open %.2f us, %.2f reads; iter %.2f us, %.2f reads; "
                        "phrase %.2f us, %.4f reads (a candidate; %ld matches)\n",
                        round, open.ms * 1000 / n, open.reads / n, iter.ms * 1000 / n,
                        iter.reads / n, ph.ms * 1000 / n, ph.reads / n, ph.sum);
        }
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "position_cost: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
