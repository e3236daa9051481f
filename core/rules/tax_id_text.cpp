// Tax-ID text as python-stdnum handles it (see the header).
#include "rules/tax_id_text.hpp"

#include <algorithm>
#include <iterator>

#include "util/utf8.hpp"

namespace clientele::tax_id {

namespace {
struct Lookalike {
    char32_t from;
    char to;
};
// stdnum.util._char_map, but for the ASCII characters it maps to themselves and the digit blocks
// (FULLWIDTH DIGIT ZERO..NINE, the five MATHEMATICAL … DIGIT ZERO..NINE runs) handled in lookalike().
constexpr Lookalike kLookalikes[] = {
    {0x0060, '\''}, {0x00A0, ' '},  {0x00AF, '-'},  {0x00B4, '\''}, {0x00B7, '.'},  {0x00B8, ','},  {0x02B9, '\''},
    {0x02BB, '\''}, {0x02BC, '\''}, {0x02BE, '\''}, {0x02BF, '\''}, {0x02C8, '\''}, {0x02D7, '-'},  {0x02D9, '.'},
    {0x0300, '\''}, {0x0301, '\''}, {0x0312, '\''}, {0x0313, '\''}, {0x0387, '.'},  {0x055A, '\''}, {0x058A, '-'},
    {0x05BE, '-'},  {0x060C, ','},  {0x066B, ','},  {0x066C, ','},  {0x066D, '*'},  {0x06D4, '.'},  {0x0701, '.'},
    {0x0702, '.'},  {0x070D, '*'},  {0x0830, '.'},  {0x083C, '/'},  {0x0F0B, '.'},  {0x0F0C, '.'},  {0x1361, ':'},
    {0x1680, '-'},  {0x16EB, '.'},  {0x16EC, ':'},  {0x1804, ':'},  {0x180A, '-'},  {0x2000, ' '},  {0x2001, ' '},
    {0x2002, ' '},  {0x2003, ' '},  {0x2004, ' '},  {0x2005, ' '},  {0x2006, ' '},  {0x2007, ' '},  {0x2008, ' '},
    {0x2009, ' '},  {0x200A, ' '},  {0x2010, '-'},  {0x2011, '-'},  {0x2012, '-'},  {0x2013, '-'},  {0x2014, '-'},
    {0x2015, '-'},  {0x2018, '\''}, {0x2019, '\''}, {0x201A, ','},  {0x201B, '\''}, {0x2022, '.'},  {0x2024, '.'},
    {0x2027, '.'},  {0x202F, ' '},  {0x2032, ','},  {0x203E, '-'},  {0x2043, '-'},  {0x2044, '/'},  {0x204E, '*'},
    {0x2055, '*'},  {0x205F, ' '},  {0x207B, '-'},  {0x208B, '-'},  {0x2212, '-'},  {0x2215, '/'},  {0x2217, '*'},
    {0x2219, '.'},  {0x22C5, '.'},  {0x22C6, '*'},  {0x23AF, '-'},  {0x23BA, '-'},  {0x23BB, '-'},  {0x23BC, '-'},
    {0x23BD, '-'},  {0x23E4, '-'},  {0x2731, '*'},  {0x2732, '*'},  {0x2733, '*'},  {0x273A, '*'},  {0x273B, '*'},
    {0x273C, '*'},  {0x273D, '*'},  {0x274A, '*'},  {0x274B, '*'},  {0x27CB, '/'},  {0x29F8, '/'},  {0x2E31, '.'},
    {0x2E33, '.'},  {0x2E34, ','},  {0x3000, ' '},  {0x3001, ','},  {0x3002, '.'},  {0x30FB, '.'},  {0xA60E, '*'},
    {0xFBB2, '.'},  {0xFBB3, '.'},  {0xFE10, ','},  {0xFE13, ':'},  {0xFE30, ':'},  {0xFE50, ','},  {0xFE51, ','},
    {0xFE52, '.'},  {0xFE55, ':'},  {0xFE61, '*'},  {0xFE63, '-'},  {0xFF0A, '*'},  {0xFF0C, ','},  {0xFF0D, '-'},
    {0xFF0E, '.'},  {0xFF0F, '/'},  {0xFF1A, ':'},  {0xFF65, '.'},  {0xFFE3, '-'},  {0x10101, '.'}, {0x1091F, '.'},
    {0x10A50, '.'},
};

char32_t lookalike(char32_t c) {
    if (c >= 0xFF10 && c <= 0xFF19) return U'0' + (c - 0xFF10);
    if (c >= 0x1D7CE && c <= 0x1D7FF) return U'0' + (c - 0x1D7CE) % 10;
    const auto* it = std::lower_bound(std::begin(kLookalikes), std::end(kLookalikes), c,
                                      [](const Lookalike& l, char32_t v) { return l.from < v; });
    return it != std::end(kLookalikes) && it->from == c ? static_cast<char32_t>(it->to) : c;
}

// Python's upper() of the characters that matter here: ASCII, the letters whose capital is ASCII
// (ß, ı, ſ and the Latin ligatures), ñ (Mexican RFCs) and м, к (the Cyrillic МК prefix of North
// Macedonian numbers). Any other character fails every check whatever its case.
void append_upper(Text& out, char32_t c) {
    switch (c) {
        case 0x00DF: out.append(U"SS"); break;
        case 0x0131: out.push_back(U'I'); break;
        case 0x017F: out.push_back(U'S'); break;
        case 0xFB00: out.append(U"FF"); break;
        case 0xFB01: out.append(U"FI"); break;
        case 0xFB02: out.append(U"FL"); break;
        case 0xFB03: out.append(U"FFI"); break;
        case 0xFB04: out.append(U"FFL"); break;
        case 0xFB05:
        case 0xFB06: out.append(U"ST"); break;
        case 0x00F1: out.push_back(0x00D1); break;  // ñ → Ñ
        case 0x043A: out.push_back(0x041A); break;  // к → К
        case 0x043C: out.push_back(0x041C); break;  // м → М
        default: out.push_back(c >= U'a' && c <= U'z' ? c - 32 : c);
    }
}

char32_t code_point(std::string_view s, size_t i, size_t n) {
    static constexpr unsigned kLead[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t c = static_cast<unsigned char>(s[i]) & kLead[n];
    for (size_t k = 1; k < n; ++k) c = c << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return c;
}
}  // namespace

std::optional<Text> decode(std::string_view utf8) {
    Text out;
    for (size_t i = 0; i < utf8.size();) {
        const size_t n = static_cast<unsigned char>(utf8[i]) < 0x80 ? 1 : utf8_sequence(utf8, i);
        if (n == 0) return std::nullopt;
        out.push_back(code_point(utf8, i, n));
        i += n;
    }
    return out;
}

std::string encode(View text) {
    std::string out;
    for (char32_t c : text) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
            continue;
        }
        static constexpr char32_t kLead[] = {0, 0, 0xC0, 0xE0, 0xF0};
        const int n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        out.push_back(static_cast<char>(kLead[n] | (c >> (6 * (n - 1)))));
        for (int k = n - 2; k >= 0; --k) out.push_back(static_cast<char>(0x80 | ((c >> (6 * k)) & 0x3F)));
    }
    return out;
}

Text clean(View number, View remove) {
    Text out;
    for (char32_t c : number) {
        const char32_t plain = lookalike(c);
        if (remove.find(plain) == View::npos) out.push_back(plain);
    }
    return out;
}

Text upper(View text) {
    Text out;
    for (char32_t c : text) append_upper(out, c);
    return out;
}

bool is_space(char32_t c) {  // Python's str.isspace()
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

Text strip(View text) {
    size_t from = 0, to = text.size();
    while (from < to && is_space(text[from])) ++from;
    while (to > from && is_space(text[to - 1])) --to;
    return Text(text.substr(from, to - from));
}

Text compact(View number, View remove, bool to_upper) {
    const Text cleaned = clean(number, remove);
    return strip(to_upper ? upper(cleaned) : cleaned);
}

Text zfill(View text, size_t width) {
    Text out(text);
    if (out.size() < width) out.insert(0, width - out.size(), U'0');
    return out;
}

bool drop_prefix(Text& text, View prefix) {
    if (!View(text).starts_with(prefix)) return false;
    text.erase(0, prefix.size());
    return true;
}

View sub(View text, long from, long to) {
    const long n = static_cast<long>(text.size());
    const auto clamp = [n](long i) { return i < 0 ? std::max(0L, n + i) : std::min(i, n); };
    const long a = clamp(from), b = clamp(to);
    return a < b ? text.substr(static_cast<size_t>(a), static_cast<size_t>(b - a)) : View{};
}

Verdict accept(Text number, bool valid) { return valid ? Verdict(std::move(number)) : std::nullopt; }

bool isdigits(View text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char32_t c) { return c >= U'0' && c <= U'9'; });
}
bool is_upper_letter(char32_t c) { return c >= U'A' && c <= U'Z'; }
bool in(char32_t c, View set) { return set.find(c) != View::npos; }
bool one_of(View text, std::initializer_list<View> options) {
    return std::find(options.begin(), options.end(), text) != options.end();
}
int digit(char32_t c) { return static_cast<int>(c - U'0'); }

long long to_int(View digits) {
    long long v = 0;
    for (char32_t c : digits) v = v * 10 + digit(c);
    return v;
}

bool all_zero(View digits) {
    return std::all_of(digits.begin(), digits.end(), [](char32_t c) { return c == U'0'; });
}

long pymod(long long value, long long modulus) { return static_cast<long>((value % modulus + modulus) % modulus); }

long weighted(View digits, std::initializer_list<int> weights) {
    long sum = 0;
    size_t i = 0;
    for (int w : weights) {
        if (i == digits.size()) break;
        sum += w * digit(digits[i++]);
    }
    return sum;
}

bool valid_date(long year, long month, long day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap);
}

int luhn_checksum(View number, View alphabet) {
    const int n = static_cast<int>(alphabet.size());
    int sum = 0;
    for (size_t i = 0; i < number.size(); ++i) {
        const size_t v = alphabet.find(number[number.size() - 1 - i]);
        if (v == View::npos) return -1;
        const int value = static_cast<int>(v) * (i % 2 ? 2 : 1);
        sum += value / n + value % n;
    }
    return sum % n;
}

bool luhn_valid(View number, View alphabet) { return !number.empty() && luhn_checksum(number, alphabet) == 0; }

char32_t luhn_check_digit(View number) {
    const int ck = luhn_checksum(Text(number) + U'0');
    return ck < 0 ? 0 : U'0' + (10 - ck) % 10;
}

bool mod_11_10_valid(View digits) {
    int check = 5;
    for (char32_t c : digits) check = ((check ? check : 10) * 2 % 11 + digit(c)) % 10;
    return check == 1;
}

bool mod_97_10_valid(View number) {
    long rem = 0;
    for (char32_t c : number) {
        const char32_t u = c >= U'a' && c <= U'z' ? c - 32 : c;
        if (u >= U'0' && u <= U'9') rem = (rem * 10 + digit(u)) % 97;
        else if (is_upper_letter(u)) rem = (rem * 100 + (u - U'A' + 10)) % 97;
        else return false;
    }
    return !number.empty() && rem == 1;
}

}  // namespace clientele::tax_id
