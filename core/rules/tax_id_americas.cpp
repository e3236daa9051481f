// Tax IDs of the Americas as python-stdnum 2.2 checks them, with Polar's wrappers (CA GST/HST, CL, EC, UY).
#include "rules/tax_id_stdnum.hpp"

namespace clientele::tax_id::stdnum {

namespace {
Text without_prefix(View number, View separators, View prefix) {
    Text n = compact(number, separators);
    drop_prefix(n, prefix);
    return n;
}

bool ec_province(View code) { return (code >= U"01" && code <= U"24") || code == U"30" || code == U"50"; }

bool ec_ci(View n) {  // stdnum.ec.ci: province, third digit up to 6, Luhn-like check over 10 digits
    if (n.size() != 10 || !isdigits(n) || !ec_province(sub(n, 0, 2)) || n[2] > U'6') return false;
    int sum = 0;
    for (size_t i = 0; i < 10; ++i) {
        const int v = digit(n[i]) * (i % 2 ? 1 : 2);
        sum += v > 9 ? v - 9 : v;
    }
    return sum % 10 == 0;
}
bool ec_natural(View n) { return sub(n, -3) != U"000" && ec_ci(sub(n, 0, 10)); }
bool ec_public(View n) { return sub(n, -4) != U"0000" && weighted(n, {3, 2, 7, 6, 5, 4, 3, 2, 1}) % 11 == 0; }
bool ec_juridical(View n) { return sub(n, -3) != U"000" && weighted(n, {4, 3, 2, 7, 6, 5, 4, 3, 2, 1}) % 11 == 0; }
// Polar's fallback for companies the SRI registers without a usable check digit:
// (0[1-9]|1[0-9]|2[0-4]|30) 9 [0-9]{7} 001.
bool ec_company_without_check_digit(View n) {
    const View province = sub(n, 0, 2);
    return ((province >= U"01" && province <= U"24") || province == U"30") && n[2] == U'9' && sub(n, 10) == U"001";
}

bool mx_date(View yymmdd) {
    return valid_date(2000 + to_int(sub(yymmdd, 0, 2)), to_int(sub(yymmdd, 2, 4)), to_int(sub(yymmdd, 4, 6)));
}
bool mx_letters(View name) {  // [A-Z&Ñ]
    for (char32_t c : name)
        if (!is_upper_letter(c) && c != U'&' && c != 0xD1) return false;
    return true;
}
bool upper_alnum(View text) {  // [0-9A-Z]*
    for (char32_t c : text)
        if (!is_upper_letter(c) && !(c >= U'0' && c <= U'9')) return false;
    return true;
}
}  // namespace

Verdict ar_cuit(View number) {
    const Text n = compact(number, U" -", false);
    if (n.size() != 11 || !isdigits(n)) return {};
    if (!one_of(sub(n, 0, 2), {U"20", U"23", U"24", U"27", U"30", U"33", U"34", U"50", U"51", U"55"})) return {};
    return accept(n, U"012345678990"[11 - weighted(n, {5, 4, 3, 2, 7, 6, 5, 4, 3, 2}) % 11] == n[10]);
}

Verdict br_cnpj(View number) {
    const Text n = compact(number, U" -./");
    if (!upper_alnum(n) || View(n).starts_with(U"000000000000") || n.size() != 14) return {};
    // Values are character code - 48, so letters (the alphanumeric CNPJ from 2026) count 17 to 42.
    long first = 0, second = 0;
    static constexpr int kFirst[] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}, kSecond[] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3};
    for (size_t i = 0; i < 12; ++i) {
        first += kFirst[i] * static_cast<long>(n[i] - 48);
        second += kSecond[i] * static_cast<long>(n[i] - 48);
    }
    const long d1 = pymod(11 - first, 11) % 10, d2 = pymod(11 - (second + 2 * d1), 11) % 10;
    return accept(n, n[12] == static_cast<char32_t>(U'0' + d1) && n[13] == static_cast<char32_t>(U'0' + d2));
}

Verdict br_cpf(View number) {
    const Text n = compact(number, U" -.", false);
    if (!isdigits(n) || all_zero(n) || n.size() != 11) return {};
    const long d1 = pymod(11 - weighted(n, {10, 9, 8, 7, 6, 5, 4, 3, 2}), 11) % 10;
    const long d2 = pymod(11 - (weighted(n, {11, 10, 9, 8, 7, 6, 5, 4, 3}) + 2 * d1), 11) % 10;
    return accept(n, d1 == digit(n[9]) && d2 == digit(n[10]));
}

Verdict ca_bn(View number) {
    const Text n = compact(number, U"- ", false);
    if ((n.size() != 9 && n.size() != 15) || !isdigits(sub(n, 0, 9)) || !luhn_valid(sub(n, 0, 9))) return {};
    // 15 characters: the business number, a program account (RC, RM, RP, RT) and a 4-digit reference
    return accept(n, n.size() == 9 || (one_of(sub(n, 9, 11), {U"RC", U"RM", U"RP", U"RT"}) && isdigits(sub(n, 11))));
}

Verdict ca_gst_hst(View number) {
    const Text n = compact(number, U"- ", false);
    return n.size() == 15 ? ca_bn(n) : std::nullopt;
}

Verdict cl_tin(View number) {
    // Polar compacts the number before stdnum.cl.rut.validate compacts it again: a CL prefix goes twice.
    const Text n = without_prefix(without_prefix(number, U" -.", U"CL"), U" -.", U"CL");
    if ((n.size() != 8 && n.size() != 9) || !isdigits(sub(n, 0, -1))) return {};
    long sum = 0;
    for (size_t i = 0; i + 1 < n.size(); ++i) sum += digit(n[n.size() - 2 - i]) * (4 + pymod(5 - static_cast<long>(i), 6));
    return accept(n, U"0123456789K"[sum % 11] == n.back());
}

Verdict co_nit(View number) {
    const Text n = compact(number, U".,- ");
    if (n.size() < 8 || n.size() > 16 || !isdigits(n)) return {};
    static constexpr int kWeights[] = {3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71};
    long sum = 0;
    for (size_t i = 0; i + 1 < n.size(); ++i) sum += kWeights[i] * digit(n[n.size() - 2 - i]);
    return accept(n, U"01987654321"[sum % 11] == n.back());
}

Verdict cr_tin(View number) {
    const Text n = compact(number, U" -");
    if (n.size() != 10 || !isdigits(n)) return {};
    const View kind = sub(n, 1, 4);
    switch (n[0]) {
        case U'2': return accept(n, one_of(kind, {U"100", U"200", U"300", U"400"}));
        case U'3':
            return accept(n, (kind >= U"002" && kind <= U"014") || (kind >= U"101" && kind <= U"110"));
        case U'4': return accept(n, kind == U"000");
        case U'5': return accept(n, kind == U"001");
        default: return {};
    }
}

Verdict ec_ruc(View number) {
    const Text n = compact(number, U" -");
    if (n.size() != 13 || !isdigits(n) || !ec_province(sub(n, 0, 2))) return {};
    if (n[2] < U'6') return accept(n, ec_natural(n));
    if (n[2] == U'6') return accept(n, ec_public(n) || ec_natural(n));
    if (n[2] == U'9') return accept(n, ec_public(n) || ec_juridical(n) || ec_company_without_check_digit(n));
    return {};
}

Verdict mx_rfc(View number) {
    const Text n = compact(number, U"-_ ");
    if (n.size() == 10 || n.size() == 13) {  // a person: 4 letters, a birth date, an optional 3-character key
        const View name = sub(n, 0, 4);
        const bool rude = one_of(name, {U"BUEI", U"BUEY", U"CACA", U"CACO", U"CAGA", U"CAGO", U"CAKA", U"CAKO", U"COGE",
                                        U"COJA", U"COJE", U"COJI", U"COJO", U"CULO", U"FETO", U"GUEY", U"JOTO", U"KACA",
                                        U"KACO", U"KAGA", U"KAGO", U"KAKA", U"KOGE", U"KOJO", U"KULO", U"MAME", U"MAMO",
                                        U"MEAR", U"MEAS", U"MEON", U"MION", U"MOCO", U"MULA", U"PEDA", U"PEDO", U"PENE",
                                        U"PUTA", U"PUTO", U"QULO", U"RATA", U"RUIN"});
        const View born = sub(n, 4, 10);
        return accept(n, mx_letters(name) && isdigits(born) && upper_alnum(sub(n, 10)) && !rude && mx_date(born));
    }
    if (n.size() == 12)  // a company: 3 letters, its founding date, a 3-character key
        return accept(n, mx_letters(sub(n, 0, 3)) && isdigits(sub(n, 3, 9)) && upper_alnum(sub(n, 9)) && mx_date(sub(n, 3, 9)));
    return {};
}

Verdict pe_ruc(View number) {
    const Text n = compact(number, U" ", false);
    if (n.size() != 11 || !isdigits(n) || !one_of(sub(n, 0, 2), {U"10", U"15", U"17", U"20"})) return {};
    return accept(n, (11 - weighted(n, {5, 4, 3, 2, 7, 6, 5, 4, 3, 2}) % 11) % 10 == digit(n[10]));
}

Verdict sv_nit(View number) {
    const Text n = without_prefix(number, U" -", U"SV");
    if (n.size() != 14 || !isdigits(n) || !in(n[0], U"019")) return {};
    const long check = sub(n, 10, 13) <= U"100"
                           ? weighted(n, {14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2}) % 11 % 10
                           : pymod(-weighted(n, {2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2}), 11) % 10;
    return accept(n, check == digit(n[13]));
}

Verdict us_ein(View number) {
    const Text written = strip(clean(number));  // two digits, an optional dash, seven digits
    const bool dashed = written.size() == 10 && written[2] == U'-';
    if (!(dashed ? isdigits(sub(written, 0, 2)) && isdigits(sub(written, 3)) : written.size() == 9 && isdigits(written)))
        return {};
    const Text n = compact(number, U"-", false);
    static constexpr View kCampusPrefixes =  // the IRS campuses' prefixes (stdnum's us/ein.dat)
        U"01 02 03 04 05 06 10 11 12 13 14 15 16 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 "
        U"45 46 47 48 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 71 72 73 74 75 76 77 80 81 82 83 84 85 "
        U"86 87 88 90 91 92 93 94 95 98 99";
    const size_t at_prefix = kCampusPrefixes.find(sub(n, 0, 2));
    return accept(n, at_prefix != View::npos && at_prefix % 3 == 0);
}

Verdict uy_ruc(View number) {
    // Polar compacts the number before stdnum.uy.rut.validate compacts it again: a UY prefix goes twice.
    const Text n = without_prefix(without_prefix(number, U" -", U"UY"), U" -", U"UY");
    if (n.size() != 12 || !isdigits(n)) return {};
    const View region = sub(n, 0, 2);
    if (region < U"01" || region > U"22" || sub(n, 2, 8) == U"000000" || sub(n, 8, 11) != U"001") return {};
    return accept(n, pymod(-weighted(n, {4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}), 11) == digit(n[11]));
}

Verdict ve_rif(View number) {
    const Text n = compact(number, U" -");
    static constexpr View kTypes = U"VEJPG";  // weighted 4, 8, 12, 16, 20
    if (n.size() != 10 || !in(n[0], kTypes) || !isdigits(sub(n, 1))) return {};
    const long sum = 4 * static_cast<long>(kTypes.find(n[0]) + 1) + weighted(sub(n, 1, 9), {3, 2, 7, 6, 5, 4, 3, 2});
    return accept(n, U"00987654321"[sum % 11] == n[9]);
}

}  // namespace clientele::tax_id::stdnum
