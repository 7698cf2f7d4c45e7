/* test_sources.cc -- cmocka tests of the wrapper's posting sources, driven
 * directly through Xapian's PostingSource contract.
 *
 * test_xapian_c.c reaches the sources only through queries, and Xapian
 * 1.4's matcher never calls some of their branches there: after a failed
 * check(), its AND asks about the next candidate with check() again, never
 * with next() or skip_to(). Another matcher (Xapian 1.5's, or an operator
 * that mixes the calls) may, so the contract is tested here call by call.
 * The sources are internal to xapian_c.cc, which is compiled into this
 * test whole (the test does not link the library).
 */
/* The code under test first: cmocka's function-like macros (fail, skip,
 * mock) stay out of Xapian's headers. */
#include "../src/xapian_c.cc"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
extern "C" {
#include <cmocka.h>
}

namespace {

/* Positions below 256 are the title's (query_builder.c). Each document:
 * which words sit where.
 *   1: "a b" in the title                  -> holds the title phrase
 *   2: a, b apart in the title; "a b" in the body -> does not
 *   3: "a b" in the title, late in it       -> holds it
 *   4: no "a" at all                        -> does not
 *   5: "b a" in the title; "a b" at 256 (the body's start) -> does not
 *   6: "a b" in the title                   -> holds it
 *   7: "a b" at 255/256: the first word's position decides -> holds it */
Xapian::Database sample_db()
{
    Xapian::WritableDatabase w(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const std::vector<std::vector<std::pair<const char *, Xapian::termpos>>> docs = {
        {{"a", 1}, {"b", 2}},
        {{"a", 1}, {"c", 2}, {"b", 3}, {"a", 300}, {"b", 301}},
        {{"c", 1}, {"a", 40}, {"b", 41}},
        {{"b", 1}, {"c", 2}},
        {{"b", 1}, {"a", 2}, {"a", 256}, {"b", 257}},
        {{"a", 7}, {"b", 8}},
        {{"a", 255}, {"b", 256}},
    };
    for (const auto &d : docs) {
        Xapian::Document doc;
        for (const auto &tp : d) doc.add_posting(tp.first, tp.second);
        w.add_document(doc);
    }
    w.commit();
    return w;
}

std::shared_ptr<const std::vector<std::string>> words_ab()
{
    return std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"a", "b"});
}

/* Driven alone, the source walks the first word's postings and stops only
 * on documents holding the phrase before the limit. */
void test_phrase_before_alone(void **)
{
    Xapian::Database db = sample_db();
    PhraseBeforeSource src(words_ab(), 256);
    src.init(db);
    assert_true(src.get_maxweight() == 0);   /* weightless: for FILTER */
    std::vector<Xapian::docid> seen;
    for (src.next(0); !src.at_end(); src.next(0)) seen.push_back(src.get_docid());
    assert_true((seen == std::vector<Xapian::docid>{1, 3, 6, 7}));
    /* init() again (Xapian's next search) starts over. */
    src.init(db);
    src.next(0);
    assert_int_equal(src.get_docid(), 1);
    src.skip_to(1, 0);                /* the match it is on: stays */
    assert_false(src.at_end());
    assert_int_equal(src.get_docid(), 1);
    src.skip_to(4, 0);
    assert_int_equal(src.get_docid(), 6);
    /* No limit to speak of: "a b" anywhere (2 and 5 in the body). */
    PhraseBeforeSource any(words_ab(), 100000);
    any.init(db);
    seen.clear();
    for (any.next(0); !any.at_end(); any.next(0)) seen.push_back(any.get_docid());
    assert_true((seen == std::vector<Xapian::docid>{1, 2, 3, 5, 6, 7}));
}

/* check() says whether a document holds the phrase; after a "no", next()
 * and skip_to() to that same document go on past it, and after a "yes"
 * the source stays where it is for a skip_to() to that document. */
void test_phrase_before_after_check(void **)
{
    Xapian::Database db = sample_db();
    PhraseBeforeSource src(words_ab(), 256);
    src.init(db);
    assert_false(src.check(2, 0));
    src.next(0);                      /* past 2: the next match */
    assert_false(src.at_end());
    assert_int_equal(src.get_docid(), 3);

    PhraseBeforeSource s2(words_ab(), 256);
    s2.init(db);
    assert_false(s2.check(4, 0));
    s2.skip_to(4, 0);                 /* the failed document itself: move on */
    assert_false(s2.at_end());
    assert_int_equal(s2.get_docid(), 6);

    PhraseBeforeSource s3(words_ab(), 256);
    s3.init(db);
    assert_true(s3.check(3, 0));
    s3.skip_to(3, 0);                 /* the document it is on: stays */
    assert_int_equal(s3.get_docid(), 3);
    s3.skip_to(2, 0);                 /* backwards (unspecified by Xapian): stays */
    assert_int_equal(s3.get_docid(), 3);
    s3.next(0);
    assert_int_equal(s3.get_docid(), 6);

    /* After a check on the last match, next() reaches the end. */
    PhraseBeforeSource s4(words_ab(), 256);
    s4.init(db);
    assert_false(s4.check(5, 0));
    assert_true(s4.check(7, 0));      /* checks go forwards, any distance */
    s4.next(0);
    assert_true(s4.at_end());

    /* skip_to past the last document: the end. */
    PhraseBeforeSource s5(words_ab(), 256);
    s5.init(db);
    s5.skip_to(8, 0);
    assert_true(s5.at_end());
}

/* A copy (clone, or serialise + unserialise by the source the registry
 * finds under its name) walks the same matches from its own start. */
void test_phrase_before_copies(void **)
{
    Xapian::Database db = sample_db();
    PhraseBeforeSource src(words_ab(), 256);
    const Xapian::PostingSource *reg = query_registry().get_posting_source(src.name());
    assert_non_null(reg);
    std::unique_ptr<Xapian::PostingSource> cl(src.clone());
    std::unique_ptr<Xapian::PostingSource> un(reg->unserialise(src.serialise()));
    for (Xapian::PostingSource *p : {cl.get(), un.get()}) {
        p->init(db);
        std::vector<Xapian::docid> seen;
        for (p->next(0); !p->at_end(); p->next(0)) seen.push_back(p->get_docid());
        assert_true((seen == std::vector<Xapian::docid>{1, 3, 6, 7}));
    }
    assert_string_equal(src.get_description().c_str(), "xc:phrase-before(a b <256)");
}

/* Serialised data that is cut short, has a string running past its end,
 * no words, or bytes left over is refused, never read past its end. */
void test_unserialise_refuses_bad_data(void **)
{
    PhraseBeforeSource src(words_ab(), 256);
    const std::string good = src.serialise();   /* 256, 2, 1 "a", 1 "b" */
    std::unique_ptr<Xapian::PostingSource> ok(src.unserialise(good));
    assert_string_equal(ok->get_description().c_str(), "xc:phrase-before(a b <256)");
    const std::vector<std::string> bad = {
        good.substr(0, good.size() - 1),          /* the last word cut */
        good + "x",                               /* trailing bytes */
        std::string("\x80\x02\x00", 3),            /* no words */
        std::string("\x80\x02\x01\x05" "ab", 6),  /* a word longer than the data */
        std::string("\x80\x02\x7f", 3),            /* more words than bytes */
    };
    for (const std::string &d : bad) {
        bool thrown = false;
        try {
            delete src.unserialise(d);
        } catch (const Xapian::SerialisationError &) {
            thrown = true;
        }
        assert_true(thrown);
    }
    /* A docid set's shard UUIDs go through the same reader. */
    auto ids = std::make_shared<std::vector<Xapian::docid>>(std::vector<Xapian::docid>{2, 5});
    auto uuids = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"u1", "u2"});
    DocidSetSource set(ids, uuids);
    const std::string sd = set.serialise();
    std::unique_ptr<DocidSetSource> back(set.unserialise(sd));
    assert_true(back->serialise() == sd);
    bool thrown = false;
    try {
        delete set.unserialise(sd.substr(0, sd.size() - 1));   /* a UUID cut */
    } catch (const Xapian::SerialisationError &) {
        thrown = true;
    }
    assert_true(thrown);
}

}  // namespace

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phrase_before_alone),
        cmocka_unit_test(test_phrase_before_after_check),
        cmocka_unit_test(test_phrase_before_copies),
        cmocka_unit_test(test_unserialise_refuses_bad_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
