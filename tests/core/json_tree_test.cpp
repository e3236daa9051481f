// JsonTree (io/json_tree), the reader of snapshot lines: it answers what nlohmann's DOM would, wherever
// special bytes fall in strings, and its member lookup answers as find does.
#include <algorithm>
#include <cstring>

#include "test_support.hpp"

#include "io/json_text.hpp"
#include "io/json_tree.hpp"

using namespace clientele;

// The flat tree snapshot lines are read with answers what nlohmann's DOM would.
TEST(JsonTree, AgreesWithTheDom) {
    JsonTree tree;
    for (const char* text : {R"({"a":1,"b":[true,null,-2,18446744073709551615,1.5,"x"],"c":{"d":{}},"e":[]})",
                             R"({"k":1,"k":2})", R"("just a string")", R"([[],[[]],{"":""}])", R"({"z":"\u00e9\n"})"}) {
        ASSERT_TRUE(tree.parse(text)) << text;
        EXPECT_EQ(tree.to_json(tree.root()), json::parse(text)) << text;
    }
    ASSERT_TRUE(tree.parse(R"({"k":1,"k":2})"));
    EXPECT_EQ(tree.find(tree.root(), "k")->value.i, 2);  // the last of repeated keys, as the DOM keeps
    EXPECT_EQ(tree.find(tree.root(), "missing"), nullptr);
    for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "1e999", "[1] 2"}) EXPECT_FALSE(tree.parse(bad)) << bad;
    EXPECT_FALSE(tree.parse(std::string(100, '[') + std::string(100, ']')));  // deeper than 64 levels
    EXPECT_TRUE(tree.parse(std::string(64, '[') + std::string(64, ']')));
    // The depth is checked as the parser meets it, and after a NUL byte (where both stop reading) as the
    // DOM's pre-scan does: the two refuse the same texts.
    for (const std::string& tail : {std::string(3, '['), std::string(65, '[')}) {
        const std::string text = std::string("1") + '\0' + tail;
        EXPECT_EQ(bool(tree.parse(text)), bool(parse_json_text(text))) << tail.size();
    }
    EXPECT_FALSE(tree.parse(std::string("1") + '\0' + std::string(65, '[')));
}

// A quote, an escape, a control character, DEL or UTF-8 (valid or not), anywhere in a string of any length
// and at its end, reads as the DOM reads it (refused where the DOM refuses it).
TEST(JsonTree, StringsAgreeWithTheDomWhereverTheirSpecialBytesFall) {
    JsonTree tree;
    const std::vector<std::string> specials = {"\\\"", "\\\\", "\\n", "\\u00e9", "\x7f", "\xc3\xa9", "\xe5\x8c\x97", "\xf0\x9f\x98\x80", "~", " "};
    const std::vector<std::string> refused = {"\x01", "\x1f", "\n", "\xc3", "\xff", "\xed\xa0\x80", "\"x"};
    for (size_t before = 0; before < 19; ++before)
        for (size_t after : {0, 1, 7, 8, 9}) {
            const std::string head(before, 'a'), tail(after, 'b');
            for (const auto& special : specials) {
                const std::string text = "[\"" + head + special + tail + "\"]";
                ASSERT_TRUE(tree.parse(text)) << text;
                EXPECT_EQ(tree.to_json(tree.root()), json::parse(text)) << text;
            }
            for (const auto& bad : refused) {
                const std::string text = "[\"" + head + bad + tail + "\"]";
                EXPECT_FALSE(tree.parse(text)) << before << " " << after;
                EXPECT_FALSE(json::accept(text)) << "the DOM refuses it too";
            }
        }
}

TEST(JsonTree, MembersAnswerAsFindDoes) {
    JsonTree tree;
    json big = json::object();
    for (int i = 0; i < 40; ++i) big["k" + std::to_string(i)] = i;  // past the table: scanned
    for (const std::string& text : {std::string(R"({"a":1,"b":2,"a":3,"":4,"ab":5})"), big.dump(), std::string("[1]")}) {
        ASSERT_TRUE(tree.parse(text));
        JsonMembers members(tree, tree.root());
        for (const char* name : {"a", "b", "", "ab", "ba", "k0", "k39", "k40"})
            EXPECT_EQ(members.find(name, hash_text(name)), tree.find(tree.root(), name)) << text << " " << name;
    }
    ASSERT_TRUE(tree.parse(R"({"a":1,"a":3})"));
    EXPECT_EQ(JsonMembers(tree, tree.root()).find("a")->value.u, 3u);
}

// Dense text (many short values) costs far more memory parsed than as text: beyond 50,000 values and keys
// it needs 16 bytes of text per value, so a 1 MiB body cannot take tens of MiB of memory.
TEST(JsonText, RefusesDenseTextThatWouldCostManyTimesItsSize) {
    std::string ones = "[";
    for (int i = 0; i < 100000; ++i) ones += "1,";
    ones += "1]";
    auto r = parse_json_text(ones);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("100002 values in 200003 bytes"), std::string::npos) << r.error();
    JsonTree tree;
    EXPECT_FALSE(tree.parse(ones));
    std::string ids = "[";  // 100,001 ids of 38 bytes: long enough per value
    for (int i = 0; i < 100000; ++i) ids += "\"7a0f3f35-3c55-4c9b-9d2a-3b8d1f0e6a11\",";
    ids += "\"x\"]";
    EXPECT_TRUE(parse_json_text(ids));
    std::string small = "[";  // tens of thousands of short values are fine
    for (int i = 0; i < 40000; ++i) small += "1,";
    EXPECT_TRUE(parse_json_text(small + "1]"));
    EXPECT_EQ(json_shape("{\"a\":[1,2],\"b,:[\":3}").items, 7u);  // object, a, array, 1, 2, "b,:[", 3
}
