// bench_xapian.cc -- the "quest-style plain Xapian" search anchor: what a user
// gets from Xapian alone over an omindex-built database, timed in-process.
//
// usage: bench_xapian DB QUERIES [--rounds N] [--limit N] [--json] [--per-query FILE]
//                     [--no-stem]
// Each line of QUERIES is one query string (run.sh turns the suite's
// "query<TAB>filters" lines into plain strings for the anchors: a filter's
// value becomes a quoted phrase, since omindex extracts no metadata). Each
// query goes through Xapian::QueryParser (FLAG_DEFAULT, English stemmer,
// STEM_SOME, as quest and Omega do) with the default operator set to AND so
// that it compares like-for-like with corpsearch's all-words default
// (quest's own default is OR), then Enquire::get_mset(0, limit), and the
// document data of every hit is read, as quest prints it. One warm-up round,
// then N timed rounds; nearest-rank percentiles like bench_query.c;
// --per-query writes each query's median time (ms) and 1 if it had hits
// (else 0), one query a line. --no-stem (STEM_NONE) is for queries already
// in another indexer's terms: bench/fold_queries.c's output, run on
// corpsearch's index, whose unprefixed terms are folded words.
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

static double now_ms(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Nearest-rank percentile p (0..1] of the sorted vector t (not empty).
static double percentile(const std::vector<double> &t, double p)
{
    size_t i = (size_t)std::ceil(p * (double)t.size());
    if (i > t.size())
        i = t.size();
    return t[i ? i - 1 : 0];
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_xapian DB QUERIES [--rounds N] [--limit N] [--json] "
                             "[--per-query FILE] [--no-stem]\n");
        return 2;
    }
    int rounds = 5, json = 0, stem = 1;
    const char *per_query = nullptr;
    unsigned limit = 10;
    for (int i = 3; i < argc; i++) {
        if (!std::strcmp(argv[i], "--json"))
            json = 1;
        else if (!std::strcmp(argv[i], "--no-stem"))
            stem = 0;
        else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--per-query") && i + 1 < argc)
            per_query = argv[++i];
        else if (!std::strcmp(argv[i], "--limit") && i + 1 < argc)
            limit = (unsigned)std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "bench_xapian: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    std::vector<std::string> queries;
    std::ifstream in(argv[2]);
    if (!in) {
        std::perror(argv[2]);
        return 1;
    }
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            queries.push_back(line.substr(0, line.find('\t')));
    if (queries.empty()) {
        std::fprintf(stderr, "bench_xapian: no queries in %s\n", argv[2]);
        return 1;
    }
    try {
        Xapian::Database db(argv[1]);
        Xapian::Enquire enquire(db);
        Xapian::QueryParser qp;
        qp.set_database(db);
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(stem ? Xapian::QueryParser::STEM_SOME
                                      : Xapian::QueryParser::STEM_NONE);
        qp.set_default_op(Xapian::Query::OP_AND);
        qp.add_prefix("title", "S");
        std::vector<double> t;
        std::vector<std::vector<double>> tq(queries.size());
        std::vector<int> hit(queries.size());
        size_t hits = 0, bytes = 0;
        double cpu0 = 0, wall0 = 0;
        for (int r = -1; r < rounds; r++) {
            if (r == 0) {
                cpu0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
                wall0 = now_ms(CLOCK_MONOTONIC);
            }
            for (size_t qi = 0; qi < queries.size(); qi++) {
                const std::string &q = queries[qi];
                double t0 = now_ms(CLOCK_MONOTONIC);
                Xapian::Query query;
                try {
                    query = qp.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT);
                } catch (const Xapian::QueryParserError &) {
                    // quest reports and gives up; an empty query matches nothing
                }
                enquire.set_query(query);
                Xapian::MSet mset = enquire.get_mset(0, limit);
                for (Xapian::MSetIterator i = mset.begin(); i != mset.end(); ++i)
                    bytes += i.get_document().get_data().size();
                double dt = now_ms(CLOCK_MONOTONIC) - t0;
                if (r >= 0) {
                    t.push_back(dt);
                    tq[qi].push_back(dt);
                    hit[qi] = mset.get_matches_estimated() > 0;
                    hits += mset.get_matches_estimated() > 0;
                }
            }
        }
        if (per_query) {
            std::FILE *f = std::fopen(per_query, "w");
            if (!f) {
                std::perror(per_query);
                return 1;
            }
            for (size_t qi = 0; qi < tq.size(); qi++) {
                std::sort(tq[qi].begin(), tq[qi].end());
                std::fprintf(f, "%.4f %d\n", percentile(tq[qi], 0.5), hit[qi]);
            }
            std::fclose(f);
        }
        size_t nt = t.size();
        double cpu = (now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / (double)nt;
        double wall = (now_ms(CLOCK_MONOTONIC) - wall0) / 1e3;
        std::sort(t.begin(), t.end());
        double sum = 0;
        for (double x : t)
            sum += x;
        if (json)
            std::printf("{\"queries\": %zu, \"rounds\": %d, \"median_ms\": %.4f, "
                        "\"p90_ms\": %.4f, \"p99_ms\": %.4f, \"mean_ms\": %.4f, "
                        "\"max_ms\": %.4f, \"cpu_ms_per_query\": %.4f, \"wall_s\": %.3f, "
                        "\"hits_pct\": %.1f}\n",
                        queries.size(), rounds, percentile(t, 0.5), percentile(t, 0.9),
                        percentile(t, 0.99), sum / (double)nt, t.back(), cpu, wall,
                        100.0 * (double)hits / (double)nt);
        else
            std::printf("queries %zu x %d rounds: median %.2f ms, p90 %.2f ms, p99 %.2f ms, "
                        "mean %.2f ms, max %.2f ms; CPU %.2f ms/query; %.0f%% with hits "
                        "(%zu bytes of data read)\n",
                        queries.size(), rounds, percentile(t, 0.5), percentile(t, 0.9),
                        percentile(t, 0.99), sum / (double)nt, t.back(), cpu,
                        100.0 * (double)hits / (double)nt, bytes);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "bench_xapian: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
