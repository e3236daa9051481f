// Tax-ID text as python-stdnum handles it: code points, stdnum's clean() (Unicode look-alikes to ASCII,
// separators removed), Python's upper() and strip(), Python slicing, and the shared check-digit schemes.
#pragma once
#include <climits>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace clientele::tax_id {

using Text = std::u32string;
using View = std::u32string_view;
using Verdict = std::optional<Text>;  // the compact number stdnum's validate() answers, or nullopt

std::optional<Text> decode(std::string_view utf8);  // nullopt: not well-formed UTF-8
std::string encode(View text);

// stdnum.util.clean: look-alike characters to ASCII, then the characters of `remove` dropped.
Text clean(View number, View remove = U"");
Text upper(View text);  // Python's str.upper() where it can make an ASCII or a Spanish/Macedonian number
Text strip(View text);  // Python's str.strip(): Unicode whitespace at both ends
bool is_space(char32_t c);  // Python's str.isspace()
Text compact(View number, View remove, bool to_upper = true);  // clean, upper, strip
Text zfill(View text, size_t width);                          // Python's str.zfill
bool drop_prefix(Text& text, View prefix);                     // removes it if there; says whether

// Python's text[from:to]: negative indexes count from the end, out-of-range ones are clamped.
constexpr long kEnd = LONG_MAX;
View sub(View text, long from, long to = kEnd);

Verdict accept(Text number, bool valid);  // number if valid, else nullopt

bool isdigits(View text);  // stdnum.util.isdigits: one or more of 0-9
bool is_upper_letter(char32_t c);
bool in(char32_t c, View set);  // c is one of the characters of set
bool one_of(View text, std::initializer_list<View> options);
int digit(char32_t c);      // of a character isdigits() accepted
long long to_int(View digits);  // of at most 18 digits
bool all_zero(View digits);     // int(digits) == 0
long pymod(long long value, long long modulus);  // Python's %, never negative
long weighted(View digits, std::initializer_list<int> weights);  // Σ weight·digit over the shorter
bool valid_date(long year, long month, long day);               // datetime.date(year, month, day)

int luhn_checksum(View number, View alphabet = U"0123456789");  // -1: a character outside the alphabet
bool luhn_valid(View number, View alphabet = U"0123456789");
char32_t luhn_check_digit(View number);  // stdnum.luhn.calc_check_digit
bool mod_11_10_valid(View digits);       // ISO 7064 Mod 11, 10
bool mod_97_10_valid(View number);       // ISO 7064 Mod 97-10, letters as 10 to 35

}  // namespace clientele::tax_id
