#include "rules/tax_id.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace clientele::tax_id {

namespace {
using Check = bool (*)(std::string_view);

// ---- helpers -------------------------------------------------------------------------------------
bool digits(std::string_view s, size_t lo, size_t hi = 0) {
    if (s.size() < lo || s.size() > (hi ? hi : lo)) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool letter(char c) { return c >= 'A' && c <= 'Z'; }
bool alnum(std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return letter(c) || (c >= '0' && c <= '9'); }); }
int d(char c) { return c - '0'; }
bool all_same(std::string_view s) { return std::all_of(s.begin(), s.end(), [&](char c) { return c == s[0]; }); }

// Σ digit[i] * weight[i] over the first weights.size() digits.
int weighted(std::string_view s, std::initializer_list<int> weights) {
    int sum = 0, i = 0;
    for (int w : weights) sum += d(s[i++]) * w;
    return sum;
}

int luhn_sum(std::string_view s) {  // Luhn over the whole string (last digit is the check digit)
    int sum = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        int v = d(s[s.size() - 1 - i]);
        if (i % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    return sum % 10;
}
bool luhn(std::string_view s) { return luhn_sum(s) == 0; }

bool mod11_10(std::string_view s) {  // ISO 7064 MOD 11,10
    int check = 5;
    for (char c : s) check = (((check == 0 ? 10 : check) * 2) % 11 + d(c)) % 10;
    return check == 1;
}

// mod 11 with weights, retrying with a second set when the remainder is 10 (BG, LT, KZ style).
int mod11_retry(std::string_view s, std::initializer_list<int> first, std::initializer_list<int> second) {
    int r = weighted(s, first) % 11;
    if (r == 10) r = weighted(s, second) % 11;
    return r == 10 ? 0 : r;
}

// ---- EU VAT, per member state (number without the country prefix) ------------------------------------
bool at(std::string_view n) { return n.size() == 9 && n[0] == 'U' && digits(n.substr(1), 8) && (6 - luhn_sum(n.substr(1, 7)) % 10 + 10) % 10 == d(n[8]); }
bool be(std::string_view n) {
    return digits(n, 10) && (n[0] == '0' || n[0] == '1') && 97 - std::stol(std::string(n.substr(0, 8))) % 97 == std::stol(std::string(n.substr(8)));
}
bool bg(std::string_view n) {
    if (digits(n, 9)) return mod11_retry(n, {1, 2, 3, 4, 5, 6, 7, 8}, {3, 4, 5, 6, 7, 8, 9, 10}) == d(n[8]);
    if (!digits(n, 10)) return false;
    const int egn = weighted(n, {2, 4, 8, 5, 10, 9, 7, 3, 6}) % 11 % 10;
    const int pnf = weighted(n, {21, 19, 17, 13, 11, 9, 7, 3, 1}) % 10;
    const int other = (11 - weighted(n, {4, 3, 2, 7, 6, 5, 4, 3, 2}) % 11) % 11;
    return egn == d(n[9]) || pnf == d(n[9]) || (other != 10 && other == d(n[9]));
}
bool cy(std::string_view n) {
    if (n.size() != 9 || !digits(n.substr(0, 8), 8) || !letter(n[8]) || n.substr(0, 2) == "12") return false;
    static constexpr int odd[] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += i % 2 == 0 ? odd[d(n[i])] : d(n[i]);
    return n[8] == 'A' + sum % 26;
}
bool cz(std::string_view n) {
    if (digits(n, 8)) {
        const int c = (11 - weighted(n, {8, 7, 6, 5, 4, 3, 2}) % 11) % 11;
        return n[0] != '9' && (c == 0 ? 1 : c) % 10 == d(n[7]);
    }
    if (digits(n, 9) && n[0] == '6') return "8901234567"[(11 - weighted(n.substr(1), {8, 7, 6, 5, 4, 3, 2}) % 11) % 11] == n[8];
    if (digits(n, 9)) return true;  // birth number issued before 1954: no check digit
    if (digits(n, 10)) return std::stoll(std::string(n)) % 11 == 0 || (std::stoll(std::string(n.substr(0, 9))) % 11 == 10 && n[9] == '0');
    return false;
}
bool de(std::string_view n) { return digits(n, 9) && n[0] != '0' && mod11_10(n); }
bool dk(std::string_view n) { return digits(n, 8) && n[0] != '0' && weighted(n, {2, 7, 6, 5, 4, 3, 2, 1}) % 11 == 0; }
bool ee(std::string_view n) { return digits(n, 9) && n.substr(0, 2) == "10" && weighted(n, {3, 7, 1, 3, 7, 1, 3, 7, 1}) % 10 == 0; }
bool el(std::string_view n) {
    if (n.size() == 8) return el("0" + std::string(n));
    return digits(n, 9) && weighted(n, {256, 128, 64, 32, 16, 8, 4, 2}) % 11 % 10 == d(n[8]);
}
char dni_letter(long v) { return "TRWAGMYFPDXBNJZSQVHLCKE"[v % 23]; }
bool es(std::string_view n) {
    if (n.size() != 9 || !alnum(n)) return false;
    if (digits(n.substr(0, 8), 8) && letter(n[8])) return dni_letter(std::stol(std::string(n.substr(0, 8)))) == n[8];  // DNI
    if ((n[0] == 'X' || n[0] == 'Y' || n[0] == 'Z') && digits(n.substr(1, 7), 7) && letter(n[8]))  // NIE
        return dni_letter(std::stol(std::string(1, static_cast<char>('0' + (n[0] - 'X'))) + std::string(n.substr(1, 7)))) == n[8];
    if ((n[0] == 'K' || n[0] == 'L' || n[0] == 'M') && digits(n.substr(1, 7), 7) && letter(n[8]))
        return dni_letter(std::stol(std::string(n.substr(1, 7)))) == n[8];
    if (!letter(n[0]) || !digits(n.substr(1, 7), 7)) return false;  // CIF
    int sum = 0;
    for (int i = 1; i <= 7; ++i) {
        int v = d(n[i]);
        if (i % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    const int check = (10 - sum % 10) % 10;
    return n[8] == '0' + check || n[8] == "JABCDEFGHI"[check];
}
bool fi(std::string_view n) {
    if (!digits(n, 8)) return false;
    const int c = (11 - weighted(n, {7, 9, 10, 5, 8, 4, 2}) % 11) % 11;
    return c != 10 && c == d(n[7]);
}
bool siren(std::string_view n) { return digits(n, 9) && luhn(n); }
bool fr(std::string_view n) {
    if (n.size() != 11 || !siren(n.substr(2))) return false;
    if (!digits(n.substr(0, 2), 2)) return alnum(n.substr(0, 2));  // new-style alphabetic keys: no public check
    return std::stoll(std::string(n.substr(2)) + "12") % 97 == std::stoll(std::string(n.substr(0, 2)));
}
bool hr(std::string_view n) { return digits(n, 11) && mod11_10(n); }
bool hu(std::string_view n) { return digits(n, 8) && weighted(n, {9, 7, 3, 1, 9, 7, 3, 1}) % 10 == 0; }
bool ie(std::string_view n) {
    if (n.size() == 8 && (letter(n[1]) || n[1] == '+' || n[1] == '*') && digits(n.substr(2, 5), 5))
        return ie("0" + std::string(n.substr(2, 5)) + n[0] + n[7]);  // old style: 1X23456A -> 0234561A
    if ((n.size() != 8 && n.size() != 9) || !digits(n.substr(0, 7), 7) || !letter(n[7])) return false;
    int sum = weighted(n, {8, 7, 6, 5, 4, 3, 2});
    if (n.size() == 9) {
        if (!letter(n[8]) && n[8] != 'W') return false;
        sum += 9 * (n[8] == 'W' ? 0 : n[8] - 'A' + 1);
    }
    return n[7] == "WABCDEFGHIJKLMNOPQRSTUV"[sum % 23];
}
bool it(std::string_view n) {
    if (!digits(n, 11) || n.substr(0, 7) == "0000000" || !luhn(n)) return false;
    const int office = std::stoi(std::string(n.substr(7, 3)));
    return (office >= 1 && office <= 100) || office == 120 || office == 121 || office == 888 || office == 999;
}
bool lt(std::string_view n) {
    if (digits(n, 9)) return n[7] == '1' && mod11_retry(n, {1, 2, 3, 4, 5, 6, 7, 8}, {3, 4, 5, 6, 7, 8, 9, 1}) == d(n[8]);
    if (digits(n, 12))
        return n[10] == '1' && mod11_retry(n, {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2}, {3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4}) == d(n[11]);
    return false;
}
bool lu(std::string_view n) { return digits(n, 8) && std::stol(std::string(n.substr(0, 6))) % 89 == std::stol(std::string(n.substr(6))); }
bool lv(std::string_view n) {
    if (!digits(n, 11)) return false;
    if (n[0] > '3') return weighted(n, {9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}) % 11 == 3;
    return (1101 - weighted(n, {10, 5, 8, 4, 2, 1, 6, 3, 7, 9})) % 11 % 10 == d(n[10]);
}
bool mt(std::string_view n) { return digits(n, 8) && n[0] != '0' && weighted(n, {3, 4, 6, 7, 8, 9, 10, 1}) % 37 == 0; }
bool nl(std::string_view n) {
    if (n.size() != 12 || !digits(n.substr(0, 9), 9) || n[9] != 'B' || !digits(n.substr(10), 2)) return false;
    if (n.substr(0, 9) != "000000000" && (weighted(n, {9, 8, 7, 6, 5, 4, 3, 2}) - d(n[8])) % 11 == 0) return true;
    int rem = 0;  // ISO 7064 MOD 97-10 over "NL" + number, letters as 10..35
    for (char c : "NL" + std::string(n)) {
        const int v = letter(c) ? c - 'A' + 10 : d(c);
        rem = (v >= 10 ? rem * 100 + v : rem * 10 + v) % 97;
    }
    return rem == 1;
}
bool pl(std::string_view n) { return digits(n, 10) && weighted(n, {6, 5, 7, 2, 3, 4, 5, 6, 7}) % 11 == d(n[9]); }
bool pt(std::string_view n) { return digits(n, 9) && n[0] != '0' && (11 - weighted(n, {9, 8, 7, 6, 5, 4, 3, 2}) % 11) % 11 % 10 == d(n[8]); }
bool ro(std::string_view n) {
    if (!digits(n, 2, 10)) return false;
    const std::string p = std::string(10 - n.size(), '0') + std::string(n);
    return weighted(p, {7, 5, 3, 2, 1, 7, 5, 3, 2}) * 10 % 11 % 10 == d(p[9]);
}
bool se(std::string_view n) { return digits(n, 12) && n.substr(10) == "01" && luhn(n.substr(0, 10)); }
bool si(std::string_view n) {
    if (!digits(n, 8) || n[0] == '0') return false;
    const int c = 11 - weighted(n, {8, 7, 6, 5, 4, 3, 2}) % 11;
    return c != 11 && (c == 10 ? 0 : c) == d(n[7]);
}
bool sk(std::string_view n) {
    return digits(n, 10) && n[0] != '0' && std::string_view("234789").find(n[2]) != std::string_view::npos &&
           std::stoll(std::string(n)) % 11 == 0;
}

struct EuState {
    std::string_view country, prefix;
    Check check;
};
constexpr std::array<EuState, 27> kEu = {{{"AT", "AT", at}, {"BE", "BE", be}, {"BG", "BG", bg}, {"CY", "CY", cy},
                                          {"CZ", "CZ", cz}, {"DE", "DE", de}, {"DK", "DK", dk}, {"EE", "EE", ee},
                                          {"ES", "ES", es}, {"FI", "FI", fi}, {"FR", "FR", fr}, {"GR", "EL", el},
                                          {"HR", "HR", hr}, {"HU", "HU", hu}, {"IE", "IE", ie}, {"IT", "IT", it},
                                          {"LT", "LT", lt}, {"LU", "LU", lu}, {"LV", "LV", lv}, {"MT", "MT", mt},
                                          {"NL", "NL", nl}, {"PL", "PL", pl}, {"PT", "PT", pt}, {"RO", "RO", ro},
                                          {"SE", "SE", se}, {"SI", "SI", si}, {"SK", "SK", sk}}};

const EuState* eu_state(std::string_view country) {
    for (const auto& s : kEu)
        if (s.country == country) return &s;
    return nullptr;
}

// ---- other national formats ------------------------------------------------------------------------
bool gb(std::string_view n) {
    if ((n.substr(0, 2) == "GD" || n.substr(0, 2) == "HA") && digits(n.substr(2), 3)) return true;
    if (!digits(n, 9) && !digits(n, 12)) return false;
    const int sum = weighted(n, {8, 7, 6, 5, 4, 3, 2, 10, 1}) % 97;
    return sum == 0 || sum == 55;
}
bool us_ein(std::string_view n) {
    static constexpr std::string_view kPrefixes =
        "01 02 03 04 05 06 10 11 12 13 14 15 16 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 "
        "46 47 48 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 71 72 73 74 75 76 77 80 81 82 83 84 85 86 87 "
        "88 90 91 92 93 94 95 98 99";
    return digits(n, 9) && kPrefixes.find(n.substr(0, 2)) != std::string_view::npos && kPrefixes.find(n.substr(0, 2)) % 3 == 0;
}
bool ca_bn(std::string_view n) { return digits(n, 9) && luhn(n); }
bool ca_gst_hst(std::string_view n) { return n.size() == 15 && ca_bn(n.substr(0, 9)) && n.substr(9, 2) == "RT" && digits(n.substr(11), 4); }
bool ca_qst(std::string_view n) { return n.size() == 16 && digits(n.substr(0, 10), 10) && n.substr(10, 2) == "TQ" && digits(n.substr(12), 4); }
bool ca_pst_bc(std::string_view n) { return n.size() == 11 && n.substr(0, 3) == "PST" && digits(n.substr(3), 8); }
bool ca_pst_mb(std::string_view n) { return digits(n, 7); }  // "123456-7"
bool ca_pst_sk(std::string_view n) { return digits(n, 7); }
bool au_abn(std::string_view n) {
    if (!digits(n, 11)) return false;
    std::string s(n);
    s[0] = static_cast<char>(s[0] - 1);
    return s[0] >= '0' && weighted(s, {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19}) % 89 == 0;
}
bool au_arn(std::string_view n) { return digits(n, 12); }
bool ch_uid_digits(std::string_view n) {
    if (n.size() != 12 || n.substr(0, 3) != "CHE" || !digits(n.substr(3), 9)) return false;
    const int c = (11 - weighted(n.substr(3), {5, 4, 3, 2, 7, 6, 5, 4}) % 11) % 11;
    return c != 10 && c == d(n[11]);
}
bool ch_vat(std::string_view n) {
    for (std::string_view suffix : {"MWST", "TVA", "IVA", "TPV"})
        if (n.size() == 12 + suffix.size() && n.substr(12) == suffix) return ch_uid_digits(n.substr(0, 12));
    return false;
}
bool no_orgnr(std::string_view n) {
    if (!digits(n, 9)) return false;
    const int c = (11 - weighted(n, {3, 2, 7, 6, 5, 4, 3, 2}) % 11) % 11;
    return c != 10 && c == d(n[8]);
}
bool no_vat(std::string_view n) { return n.size() == 12 && n.substr(9) == "MVA" && no_orgnr(n.substr(0, 9)); }
bool no_voec(std::string_view n) { return n.size() == 11 && n.substr(0, 4) == "VOEC" && digits(n.substr(4), 7); }
int base36(char c) { return letter(c) ? c - 'A' + 10 : d(c); }
bool in_gst(std::string_view n) {
    if (n.size() != 15 || !digits(n.substr(0, 2), 2) || !alnum(n)) return false;
    const int state = std::stoi(std::string(n.substr(0, 2)));
    if (!((state >= 1 && state <= 38) || state == 97 || state == 99)) return false;
    const auto pan = n.substr(2, 10);
    if (!std::all_of(pan.begin(), pan.begin() + 5, letter) || !digits(pan.substr(5, 4), 4) || !letter(pan[9]) || n[12] == '0' || n[13] != 'Z')
        return false;
    int sum = 0;
    for (int i = 0; i < 14; ++i) {
        const int p = base36(n[i]) * (i % 2 ? 2 : 1);
        sum += p / 36 + p % 36;
    }
    return "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(36 - sum % 36) % 36] == n[14];
}
int mod11_check(std::string_view n, std::initializer_list<int> w) {  // 11 - Σ mod 11, 10 and 11 -> 0
    const int c = 11 - weighted(n, w) % 11;
    return c >= 10 ? 0 : c;
}
bool br_cnpj(std::string_view n) {
    return digits(n, 14) && !all_same(n) && mod11_check(n, {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) == d(n[12]) &&
           mod11_check(n, {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) == d(n[13]);
}
bool br_cpf(std::string_view n) {
    return digits(n, 11) && !all_same(n) && weighted(n, {10, 9, 8, 7, 6, 5, 4, 3, 2}) * 10 % 11 % 10 == d(n[9]) &&
           weighted(n, {11, 10, 9, 8, 7, 6, 5, 4, 3, 2}) * 10 % 11 % 10 == d(n[10]);
}
bool ar_cuit(std::string_view n) {
    return digits(n, 11) && "012345678990"[11 - weighted(n, {5, 4, 3, 2, 7, 6, 5, 4, 3, 2}) % 11] == n[10];
}
bool cl_tin(std::string_view n) {
    if (n.size() < 8 || n.size() > 9 || !digits(n.substr(0, n.size() - 1), n.size() - 1)) return false;
    int sum = 0;
    const auto body = n.substr(0, n.size() - 1);
    for (size_t i = 0; i < body.size(); ++i) sum += d(body[body.size() - 1 - i]) * static_cast<int>(2 + i % 6);
    return "0K987654321"[sum % 11] == n.back();
}
bool cn_tin(std::string_view n) {
    static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static constexpr int kWeights[] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (n.size() != 18) return false;
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        const size_t v = kAlphabet.find(n[i]);
        if (v == std::string_view::npos) return false;
        sum += static_cast<int>(v) * kWeights[i];
    }
    return kAlphabet[(31 - sum % 31) % 31] == n[17];
}
bool co_nit(std::string_view n) {
    if (!digits(n, 8, 16)) return false;
    static constexpr int kWeights[] = {3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71};
    int sum = 0;
    for (size_t i = 0; i + 1 < n.size(); ++i) sum += d(n[n.size() - 2 - i]) * kWeights[i];
    return "01987654321"[sum % 11] == n.back();
}
bool do_rcn(std::string_view n) { return digits(n, 9) && (10 - weighted(n, {7, 9, 8, 6, 5, 4, 3, 2}) % 11) % 9 + 1 == d(n[8]); }
bool pe_ruc(std::string_view n) { return digits(n, 11) && (11 - weighted(n, {5, 4, 3, 2, 7, 6, 5, 4, 3, 2}) % 11) % 10 == d(n[10]); }
bool kr_brn(std::string_view n) {
    if (!digits(n, 10)) return false;
    const int sum = weighted(n, {1, 3, 7, 1, 3, 7, 1, 3, 5}) + d(n[8]) * 5 / 10;
    return (10 - sum % 10) % 10 == d(n[9]);
}
bool kz_bin(std::string_view n) {
    if (!digits(n, 12)) return false;
    int r = weighted(n, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}) % 11;
    if (r == 10) r = weighted(n, {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}) % 11;
    return r != 10 && r == d(n[11]);
}
bool jp_cn(std::string_view n) {
    if (!digits(n, 13)) return false;
    int sum = 0;
    for (size_t i = 1; i < 13; ++i) sum += d(n[13 - i]) * (i % 2 ? 1 : 2);
    return 9 - sum % 9 == d(n[0]);
}
bool jp_trn(std::string_view n) { return n.size() == 14 && n[0] == 'T' && jp_cn(n.substr(1)); }
bool nz_gst(std::string_view n) {
    if (!digits(n, 8, 9)) return false;
    const std::string s = std::string(9 - n.size(), '0') + std::string(n);
    int c = (11 - weighted(s, {3, 2, 7, 6, 5, 4, 3, 2}) % 11) % 11;
    if (c == 10) c = (11 - weighted(s, {7, 4, 3, 2, 5, 2, 7, 6}) % 11) % 11;
    return c != 10 && c == d(s[8]);
}
bool rs_pib(std::string_view n) { return digits(n, 9) && mod11_10(n); }
bool ru_inn(std::string_view n) {
    auto check = [&](std::initializer_list<int> w, size_t at) { return weighted(n, w) % 11 % 10 == d(n[at]); };
    if (digits(n, 10)) return check({2, 4, 10, 3, 5, 9, 4, 6, 8}, 9);
    return digits(n, 12) && check({7, 2, 4, 10, 3, 5, 9, 4, 6, 8}, 10) && check({3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}, 11);
}
bool th_vat(std::string_view n) { return digits(n, 13) && (11 - weighted(n, {13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2}) % 11) % 10 == d(n[12]); }
bool tr_tin(std::string_view n) {
    if (!digits(n, 10)) return false;
    int sum = 0;
    for (int i = 0; i < 9; ++i) {
        const int c1 = (d(n[i]) + 9 - i) % 10;
        int c2 = (c1 * (1 << (9 - i))) % 9;
        if (c1 != 0 && c2 == 0) c2 = 9;
        sum += c2;
    }
    return (10 - sum % 10) % 10 == d(n[9]);
}
bool tw_vat(std::string_view n) {
    if (!digits(n, 8)) return false;
    static constexpr int kWeights[] = {1, 2, 1, 2, 1, 2, 4, 1};
    int sum = 0;
    for (int i = 0; i < 8; ++i) {
        const int p = d(n[i]) * kWeights[i];
        sum += p / 10 + p % 10;
    }
    return sum % 10 == 0 || (n[6] == '7' && (sum + 1) % 10 == 0);
}
bool uy_ruc(std::string_view n) {
    if (!digits(n, 12)) return false;
    const int c = (11 - weighted(n, {4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) % 11) % 11;
    return c != 10 && c == d(n[11]);
}
bool ve_rif(std::string_view n) {
    static constexpr std::string_view kTypes = "VEJPG";
    const size_t type = kTypes.find(n.empty() ? ' ' : n[0]);
    if (n.size() != 10 || type == std::string_view::npos || !digits(n.substr(1), 9)) return false;
    const int sum = static_cast<int>(4 * (type + 1)) + weighted(n.substr(1), {3, 2, 7, 6, 5, 4, 3, 2});
    return "00987654321"[sum % 11] == n[9];
}
bool vn_tin(std::string_view n) {
    if (!digits(n, 10) && !digits(n, 13)) return false;
    const int c = 10 - weighted(n, {31, 29, 23, 19, 17, 13, 7, 5, 3}) % 11;
    return c != 10 && c == d(n[9]);
}
bool za_vat(std::string_view n) { return digits(n, 10) && n[0] == '4' && luhn(n); }
bool il_vat(std::string_view n) { return digits(n, 9) && luhn(n); }
bool bg_uic(std::string_view n) { return digits(n, 9) ? bg(n) : digits(n, 13) && bg(n.substr(0, 9)); }

// Pattern-only formats.
bool ad_nrt(std::string_view n) { return n.size() == 8 && letter(n[0]) && digits(n.substr(1, 6), 6) && letter(n[7]); }
bool ae_trn(std::string_view n) { return digits(n, 15); }
bool bh_vat(std::string_view n) { return digits(n, 15); }
bool bo_tin(std::string_view n) { return digits(n, 7, 12); }
bool cr_tin(std::string_view n) { return digits(n, 9, 12); }
bool de_stn(std::string_view n) { return digits(n, 10, 13); }
bool ec_ruc(std::string_view n) { return digits(n, 13) && (n.substr(0, 2) <= "24" || n.substr(0, 2) == "30") && n.substr(0, 2) != "00"; }
bool eg_tin(std::string_view n) { return digits(n, 9); }
bool es_cif(std::string_view n) { return es(n); }
bool eu_oss_vat(std::string_view n) { return n.size() == 11 && n.substr(0, 2) == "EU" && digits(n.substr(2), 9); }
bool ge_vat(std::string_view n) { return digits(n, 9); }
bool hk_br(std::string_view n) { return digits(n, 8); }
bool hr_oib(std::string_view n) { return hr(n); }
bool hu_tin(std::string_view n) { return digits(n, 11) && hu(n.substr(0, 8)); }
bool id_npwp(std::string_view n) { return digits(n, 15, 16); }
bool is_vat(std::string_view n) { return digits(n, 5, 6); }
bool jp_rn(std::string_view n) { return digits(n, 5); }
bool ke_pin(std::string_view n) { return n.size() == 11 && (n[0] == 'A' || n[0] == 'P') && digits(n.substr(1, 9), 9) && letter(n[10]); }
bool li_uid(std::string_view n) { return ch_uid_digits(n); }  // Liechtenstein uses the Swiss UID register
bool mk_vat(std::string_view n) { return n.size() == 15 && n.substr(0, 2) == "MK" && digits(n.substr(2), 13); }
bool mx_rfc(std::string_view n) {
    const size_t letters = n.size() == 13 ? 4 : n.size() == 12 ? 3 : 0;
    if (!letters) return false;
    for (size_t i = 0; i < letters; ++i)
        if (!letter(n[i]) && n[i] != '&') return false;
    return digits(n.substr(letters, 6), 6) && alnum(n.substr(letters + 6));
}
bool my_frp(std::string_view n) { return digits(n, 8); }
bool my_itn(std::string_view n) { return n.size() >= 10 && n.size() <= 13 && letter(n[0]) && alnum(n); }
bool my_sst(std::string_view n) { return n.size() == 15 && letter(n[0]) && digits(n.substr(1), 14); }  // A12-3456-78912345
bool ng_tin(std::string_view n) { return digits(n, 12); }
bool om_vat(std::string_view n) { return n.size() == 12 && n.substr(0, 2) == "OM" && digits(n.substr(2), 10); }
bool ph_tin(std::string_view n) { return digits(n, 12); }
bool ro_tin(std::string_view n) { return digits(n, 13); }
bool ru_kpp(std::string_view n) { return n.size() == 9 && digits(n.substr(0, 4), 4) && alnum(n.substr(4, 2)) && digits(n.substr(6), 3); }
bool sa_vat(std::string_view n) { return digits(n, 15); }
bool sg_uen(std::string_view n) { return (n.size() == 9 || n.size() == 10) && alnum(n) && letter(n.back()); }
bool sg_gst(std::string_view n) { return sg_uen(n) || (n.size() == 10 && n[0] == 'M' && digits(n.substr(1, 8), 8) && letter(n[9])); }
bool si_tin(std::string_view n) { return si(n); }
bool sv_nit(std::string_view n) { return digits(n, 14); }
bool ua_vat(std::string_view n) { return digits(n, 9, 12); }
bool mu_tan(std::string_view n) { return digits(n, 8); }
bool ch_uid(std::string_view n) { return ch_uid_digits(n); }

struct Format {
    std::string_view name, country;
    Check check;
    bool checksum;
};

// Polar's TaxIDFormat list; within a country the order is the order formats are tried.
constexpr std::array<Format, 75> kFormats = {{
    {"ad_nrt", "AD", ad_nrt, false},     {"ae_trn", "AE", ae_trn, false},   {"ar_cuit", "AR", ar_cuit, true},
    {"au_abn", "AU", au_abn, true},      {"au_arn", "AU", au_arn, false},   {"bg_uic", "BG", bg_uic, true},
    {"bh_vat", "BH", bh_vat, false},     {"bo_tin", "BO", bo_tin, false},   {"br_cnpj", "BR", br_cnpj, true},
    {"br_cpf", "BR", br_cpf, true},      {"ca_bn", "CA", ca_bn, true},      {"ca_gst_hst", "CA", ca_gst_hst, true},
    {"ca_pst_bc", "CA", ca_pst_bc, false}, {"ca_pst_mb", "CA", ca_pst_mb, false}, {"ca_pst_sk", "CA", ca_pst_sk, false},
    {"ca_qst", "CA", ca_qst, false},     {"ch_vat", "CH", ch_vat, true},    {"ch_uid", "CH", ch_uid, true},
    {"cl_tin", "CL", cl_tin, true},      {"cn_tin", "CN", cn_tin, true},    {"co_nit", "CO", co_nit, true},
    {"cr_tin", "CR", cr_tin, false},     {"de_stn", "DE", de_stn, false},   {"do_rcn", "DO", do_rcn, true},
    {"ec_ruc", "EC", ec_ruc, false},     {"eg_tin", "EG", eg_tin, false},   {"es_cif", "ES", es_cif, true},
    {"eu_oss_vat", "EU", eu_oss_vat, false}, {"gb_vat", "GB", gb, true},    {"ge_vat", "GE", ge_vat, false},
    {"hk_br", "HK", hk_br, false},       {"hr_oib", "HR", hr_oib, true},    {"hu_tin", "HU", hu_tin, true},
    {"id_npwp", "ID", id_npwp, false},   {"il_vat", "IL", il_vat, true},    {"in_gst", "IN", in_gst, true},
    {"is_vat", "IS", is_vat, false},     {"jp_trn", "JP", jp_trn, true},    {"jp_cn", "JP", jp_cn, true},
    {"jp_rn", "JP", jp_rn, false},       {"ke_pin", "KE", ke_pin, false},   {"kr_brn", "KR", kr_brn, true},
    {"kz_bin", "KZ", kz_bin, true},      {"li_uid", "LI", li_uid, true},   {"mk_vat", "MK", mk_vat, false},
    {"mx_rfc", "MX", mx_rfc, false},     {"my_sst", "MY", my_sst, false},   {"my_itn", "MY", my_itn, false},
    {"my_frp", "MY", my_frp, false},     {"ng_tin", "NG", ng_tin, false},   {"no_vat", "NO", no_vat, true},
    {"no_voec", "NO", no_voec, false},   {"nz_gst", "NZ", nz_gst, true},    {"om_vat", "OM", om_vat, false},
    {"pe_ruc", "PE", pe_ruc, true},      {"ph_tin", "PH", ph_tin, false},   {"ro_tin", "RO", ro_tin, false},
    {"rs_pib", "RS", rs_pib, true},      {"ru_inn", "RU", ru_inn, true},    {"ru_kpp", "RU", ru_kpp, false},
    {"sa_vat", "SA", sa_vat, false},     {"sg_gst", "SG", sg_gst, false},   {"sg_uen", "SG", sg_uen, false},
    {"si_tin", "SI", si_tin, true},      {"sv_nit", "SV", sv_nit, false},   {"th_vat", "TH", th_vat, true},
    {"tr_tin", "TR", tr_tin, true},      {"tw_vat", "TW", tw_vat, true},    {"ua_vat", "UA", ua_vat, false},
    {"us_ein", "US", us_ein, false},     {"uy_ruc", "UY", uy_ruc, true},    {"ve_rif", "VE", ve_rif, true},
    {"vn_tin", "VN", vn_tin, true},      {"za_vat", "ZA", za_vat, true},    {"mu_tan", "MU", mu_tan, false},
}};

std::string compact(std::string_view input) {
    std::string out;
    for (char c : input) {
        if (c == ' ' || c == '-' || c == '.' || c == '/' || c == ',' || c == '\t') continue;
        out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
    }
    return out;
}

// EU VAT: "FR40303265045" or, given without its prefix, the billing country's prefix is added.
std::optional<std::string> eu_vat(const EuState& state, const std::string& n) {
    const bool prefixed = n.rfind(state.prefix, 0) == 0 || n.rfind(state.country, 0) == 0;  // "EL…" or "GR…"
    const std::string number = prefixed ? n.substr(2) : n;
    if (!state.check(number)) return std::nullopt;
    return std::string(state.prefix) + number;
}
}  // namespace

std::optional<Match> validate(std::string_view country, std::string_view input) {
    if (input.size() > 64) return std::nullopt;
    for (unsigned char c : input)
        if (c >= 0x80 || c < 0x20) return std::nullopt;
    const std::string n = compact(input);
    if (n.empty()) return std::nullopt;
    if (const EuState* state = eu_state(country)) {
        if (auto v = eu_vat(*state, n)) return Match{*v, "eu_vat"};
        if (eu_oss_vat(n)) return Match{n, "eu_oss_vat"};
    }
    for (const auto& f : kFormats) {
        if (f.country != country) continue;
        std::string number = n;
        if (number.rfind(country, 0) == 0 && !f.check(number)) number = number.substr(2);  // "NO123456785MVA"
        if (f.check(number)) return Match{number, std::string(f.name)};
    }
    return std::nullopt;
}

const std::vector<FormatInfo>& formats() {
    static const std::vector<FormatInfo> all = [] {
        std::vector<FormatInfo> out{{"eu_vat", "EU", true}};
        for (const auto& f : kFormats) out.push_back({f.name, f.country, f.checksum});
        return out;
    }();
    return all;
}

}  // namespace clientele::tax_id
