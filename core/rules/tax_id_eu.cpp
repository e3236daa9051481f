// EU VAT numbers as python-stdnum 2.2 checks them (stdnum.eu.vat and the module of each member state),
// and UK VAT numbers (stdnum.gb.vat, also used for Northern Ireland's XI prefix).
#include "rules/tax_id_stdnum.hpp"

namespace clientele::tax_id::stdnum {

namespace {
// The number compacted as a member state's module does: separators removed, upper case, its prefix dropped.
Text national(View number, View separators, View prefix) {
    Text n = compact(number, separators);
    drop_prefix(n, prefix);
    return n;
}

Verdict at_uid(View number) {
    const Text n = national(number, U" -./", U"AT");
    if (sub(n, 0, 1) != U"U" || !isdigits(sub(n, 1)) || n.size() != 9) return {};
    return accept(n, pymod(6 - luhn_checksum(sub(n, 1, 8)), 10) == digit(n[8]));
}

Verdict be_vat(View number) {
    Text n = national(number, U" -./", U"BE");
    if (View(n).starts_with(U"(0)")) n.replace(0, 3, U"0");
    if (n.size() == 9) n.insert(0, U"0");  // the old 9-digit numbers
    if (!isdigits(n) || all_zero(n) || n.size() != 10 || !in(n[0], U"01")) return {};
    return accept(n, (to_int(sub(n, 0, -2)) + to_int(sub(n, -2))) % 97 == 0);
}

bool bg_egn(View n) {  // stdnum.bg.egn of 10 digits: a birth date, then a check digit
    long year = to_int(sub(n, 0, 2)) + 1900, month = to_int(sub(n, 2, 4));
    if (month > 40) year += 100, month -= 40;
    else if (month > 20) year -= 100, month -= 20;
    return valid_date(year, month, to_int(sub(n, 4, 6))) && weighted(n, {2, 4, 8, 5, 10, 9, 7, 3, 6}) % 11 % 10 == digit(n[9]);
}
bool bg_pnf(View n) { return weighted(n, {21, 19, 17, 13, 11, 9, 7, 3, 1}) % 10 == digit(n[9]); }

Verdict bg_vat(View number) {
    const Text n = national(number, U" -.", U"BG");
    if (!isdigits(n)) return {};
    if (n.size() == 9) {
        long check = weighted(n, {1, 2, 3, 4, 5, 6, 7, 8}) % 11;
        if (check == 10) check = weighted(n, {3, 4, 5, 6, 7, 8, 9, 10}) % 11;
        return accept(n, check % 10 == digit(n[8]));
    }
    const long other = pymod(11 - weighted(n, {4, 3, 2, 7, 6, 5, 4, 3, 2}), 11);
    return accept(n, n.size() == 10 && (bg_egn(n) || bg_pnf(n) || other == digit(n[9])));
}

Verdict cy_vat(View number) {
    const Text n = national(number, U" -", U"CY");
    if (!isdigits(sub(n, 0, -1)) || n.size() != 9 || sub(n, 0, 2) == U"12") return {};
    static constexpr int kEven[] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
    int sum = 0;
    for (size_t i = 0; i < 8; ++i) sum += i % 2 == 0 ? kEven[digit(n[i])] : digit(n[i]);
    return accept(n, n[8] == static_cast<char32_t>(U'A' + sum % 26));
}

bool cz_rc(View n) {  // stdnum.cz.rc (also Slovak): a birth date, and for 10 digits a check digit
    long year = 1900 + to_int(sub(n, 0, 2));
    if (n.size() == 9) {
        if (year >= 1980) year -= 100;
        if (year > 1953) return false;
    } else if (year < 1954) {
        year += 100;
    }
    if (!valid_date(year, to_int(sub(n, 2, 4)) % 50 % 20, to_int(sub(n, 4, 6)))) return false;
    return n.size() == 9 || to_int(sub(n, 0, -1)) % 11 % 10 == digit(n[9]);
}

Verdict cz_dic(View number) {
    const Text n = national(number, U" /", U"CZ");
    if (!isdigits(n)) return {};
    if (n.size() == 8) {
        const long check = pymod(11 - weighted(n, {8, 7, 6, 5, 4, 3, 2}), 11);
        return accept(n, n[0] != U'9' && (check ? check : 1) % 10 == digit(n[7]));
    }
    if (n.size() == 9 && n[0] == U'6') {
        const long check = weighted(sub(n, 1, -1), {8, 7, 6, 5, 4, 3, 2}) % 11;
        return accept(n, pymod(8 - (10 - check) % 11, 10) == digit(n[8]));
    }
    return accept(n, (n.size() == 9 || n.size() == 10) && cz_rc(n));
}

Verdict de_vat(View number) {
    const Text n = national(number, U" -./,", U"DE");
    return accept(n, isdigits(n) && n[0] != U'0' && n.size() == 9 && mod_11_10_valid(n));
}

Verdict dk_cvr(View number) {
    const Text n = national(number, U" -.,/:", U"DK");
    return accept(n, isdigits(n) && n[0] != U'0' && n.size() == 8 && weighted(n, {2, 7, 6, 5, 4, 3, 2, 1}) % 11 == 0);
}

Verdict ee_kmkr(View number) {
    const Text n = national(number, U" ", U"EE");
    return accept(n, isdigits(n) && n.size() == 9 && weighted(n, {3, 7, 1, 3, 7, 1, 3, 7, 1}) % 10 == 0);
}

char32_t dni_letter(View digits) { return U"TRWAGMYFPDXBNJZSQVHLCKE"[to_int(digits) % 23]; }

bool es_cif(View n) {  // stdnum.es.cif: an organisation letter, 7 digits, a check digit or letter
    const char32_t check = luhn_check_digit(sub(n, 1, 8));
    return in(n[0], U"ABCDEFGHJNPQRSUVW") && (n[8] == check || n[8] == U"JABCDEFGHI"[digit(check)]);
}

Verdict es_nif(View number) {
    const Text n = national(number, U" -", U"ES");
    if (!isdigits(sub(n, 1, -1)) || n.size() != 9) return {};
    if (in(n[0], U"KLM")) return accept(n, n[8] == dni_letter(sub(n, 1, -1)));
    if (isdigits(sub(n, 0, 1))) return accept(n, n[8] == dni_letter(sub(n, 0, -1)));  // DNI
    if (in(n[0], U"XYZ")) return accept(n, n[8] == dni_letter(Text(1, U'0' + (n[0] - U'X')) + Text(sub(n, 1, -1))));  // NIE
    return accept(n, es_cif(n));
}

Verdict fi_alv(View number) {
    const Text n = national(number, U" -", U"FI");
    return accept(n, isdigits(n) && n.size() == 8 && weighted(n, {7, 9, 10, 5, 8, 4, 2, 1}) % 11 == 0);
}

Verdict fr_tva(View number) {
    const Text n = national(number, U" -.", U"FR");
    static constexpr View kKey = U"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    const View key = sub(n, 0, 2), siren = sub(n, 2);
    for (char32_t c : key)
        if (!in(c, kKey)) return {};
    if (!isdigits(siren) || n.size() != 11 || (sub(n, 2, 5) != U"000" && !luhn_valid(siren))) return {};
    if (isdigits(n)) return accept(n, to_int(key) == (to_int(siren) * 100 + 12) % 97);
    const long a = static_cast<long>(kKey.find(n[0])), b = static_cast<long>(kKey.find(n[1]));
    const long check = isdigits(sub(n, 0, 1)) ? a * 24 + b - 10 : a * 34 + b - 100;  // new-style keys
    return accept(n, (to_int(siren) + 1 + check / 11) % 11 == check % 11);
}

Verdict gr_vat(View number) {
    Text n = compact(number, U" -./:");
    if (!drop_prefix(n, U"EL")) drop_prefix(n, U"GR");
    if (n.size() == 8) n.insert(0, U"0");  // the old 8-digit numbers
    if (!isdigits(n) || n.size() != 9) return {};
    long sum = 0;
    for (size_t i = 0; i < 8; ++i) sum = sum * 2 + digit(n[i]);
    return accept(n, sum * 2 % 11 % 10 == digit(n[8]));
}

Verdict hr_oib(View number) {
    const Text n = national(number, U" -", U"HR");
    return accept(n, isdigits(n) && n.size() == 11 && mod_11_10_valid(n));
}

Verdict hu_anum(View number) {
    const Text n = national(number, U" -", U"HU");
    return accept(n, isdigits(n) && n.size() == 8 && weighted(n, {9, 7, 3, 1, 9, 7, 3, 1}) % 10 == 0);
}

constexpr View kIeLetters = U"WABCDEFGHIJKLMNOPQRSTUV";

char32_t ie_check(View number) {  // of 7 digits (after zero-filling) and an optional letter
    const Text n = zfill(number, 7);
    const long letter = n.size() > 7 ? static_cast<long>(kIeLetters.find(n[7])) : 0;
    return kIeLetters[(weighted(n, {8, 7, 6, 5, 4, 3, 2}) + 9 * letter) % 23];
}

Verdict ie_vat(View number) {
    const Text n = national(number, U" -", U"IE");
    if (!isdigits(sub(n, 0, 1)) || !isdigits(sub(n, 2, 7)) || (n.size() != 8 && n.size() != 9)) return {};
    for (char32_t c : sub(n, 7))
        if (!in(c, kIeLetters)) return {};
    if (isdigits(sub(n, 0, 7))) return accept(n, n[7] == ie_check(Text(sub(n, 0, 7)) + Text(sub(n, 8))));
    if (in(n[1], U"ABCDEFGHIJKLMNOPQRSTUVWXYZ+*")) return accept(n, n[7] == ie_check(Text(sub(n, 2, 7)) + n[0]));  // old style
    return {};
}

Verdict it_iva(View number) {
    const Text n = national(number, U" -:", U"IT");
    if (!isdigits(n) || all_zero(sub(n, 0, 7)) || n.size() != 11) return {};
    const View office = sub(n, 7, 10);
    const bool known = (office >= U"001" && office <= U"100") || one_of(office, {U"120", U"121", U"888", U"999"});
    return accept(n, known && luhn_valid(n));
}

Verdict lt_pvm(View number) {
    const Text n = national(number, U" -", U"LT");
    if (!isdigits(n) || !((n.size() == 9 && n[7] == U'1') || (n.size() == 12 && n[10] == U'1'))) return {};
    long first = 0, second = 0;
    for (size_t i = 0; i + 1 < n.size(); ++i) {
        first += static_cast<long>(1 + i % 9) * digit(n[i]);
        second += static_cast<long>(1 + (i + 2) % 9) * digit(n[i]);
    }
    return accept(n, (first % 11 == 10 ? second : first) % 11 % 10 == digit(n.back()));
}

Verdict lu_tva(View number) {
    const Text n = national(number, U" :.-", U"LU");
    return accept(n, isdigits(n) && n.size() == 8 && to_int(sub(n, 0, 6)) % 89 == to_int(sub(n, -2)));
}

bool lv_person_check(View n) { return (1 + weighted(n, {10, 5, 8, 4, 2, 1, 6, 3, 7, 9})) % 11 % 10 == digit(n[10]); }

Verdict lv_pvn(View number) {
    const Text n = national(number, U" -", U"LV");
    if (!isdigits(n) || n.size() != 11) return {};
    if (n[0] > U'3') return accept(n, weighted(n, {9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}) % 11 == 3);  // legal entities
    if (View(n).starts_with(U"32")) return accept(n, lv_person_check(n));  // personal codes since 2017
    const long year = to_int(sub(n, 4, 6)) + 1800 + digit(n[6]) * 100;      // birth date, century digit
    return accept(n, valid_date(year, to_int(sub(n, 2, 4)), to_int(sub(n, 0, 2))) && lv_person_check(n));
}

Verdict mt_vat(View number) {
    const Text n = national(number, U" -", U"MT");
    return accept(n, isdigits(n) && n[0] != U'0' && n.size() == 8 && weighted(n, {3, 4, 6, 7, 8, 9, 10, 1}) % 37 == 0);
}

Text nl_bsn_compact(View number) { return zfill(strip(clean(number, U" -.")), 9); }

bool nl_bsn(View number) {
    const Text n = nl_bsn_compact(number);
    return isdigits(n) && !all_zero(n) && n.size() == 9 && pymod(weighted(n, {9, 8, 7, 6, 5, 4, 3, 2}) - digit(n[8]), 11) == 0;
}

Verdict nl_btw(View number) {
    const Text raw = national(number, U" -.", U"NL");
    const Text n = nl_bsn_compact(sub(raw, 0, -3)) + Text(sub(raw, -3));
    const View person = sub(n, 0, 9), branch = sub(n, 10);
    if (!isdigits(person) || all_zero(person) || !isdigits(branch) || all_zero(branch) || n.size() != 12 || n[9] != U'B')
        return {};
    return accept(n, nl_bsn(person) || mod_97_10_valid(U"NL" + n));
}

Verdict pl_nip(View number) {
    const Text n = national(number, U" -", U"PL");
    return accept(n, isdigits(n) && n.size() == 10 && pymod(weighted(n, {6, 5, 7, 2, 3, 4, 5, 6, 7, -1}), 11) == 0);
}

Verdict pt_nif(View number) {
    const Text n = national(number, U" -.", U"PT");
    if (!isdigits(n) || n[0] == U'0' || n.size() != 9) return {};
    return accept(n, pymod(11 - weighted(n, {9, 8, 7, 6, 5, 4, 3, 2}), 11) % 10 == digit(n[8]));
}

bool ro_cnp(View number) {  // stdnum.ro.cnp: sex and century, birth date, county, check digit
    const Text n = compact(number, U" -", false);
    if (!isdigits(n) || !in(n[0], U"123456789") || n.size() != 13) return false;
    static constexpr long kCentury[] = {1900, 1900, 1900, 1800, 1800, 2000, 2000, 1900, 1900, 1900};
    const long year = to_int(sub(n, 1, 3)) + kCentury[digit(n[0])];
    const long county = to_int(sub(n, 7, 9));
    const bool known_county = (county >= 1 && county <= 48) || county == 51 || county == 52 || county == 70 ||
                              (county >= 80 && county <= 83);
    const long check = weighted(n, {2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9}) % 11;
    const bool born = valid_date(year, to_int(sub(n, 3, 5)), to_int(sub(n, 5, 7)));
    return born && known_county && (check == 10 ? 1 : check) == digit(n[12]);
}

bool ro_cui(View number) {  // stdnum.ro.cui: 2 to 10 digits, the last a check digit
    const Text n = national(number, U" -", U"RO");
    if (!isdigits(n) || n[0] == U'0' || n.size() < 2 || n.size() > 10) return false;
    return weighted(zfill(sub(n, 0, -1), 9), {7, 5, 3, 2, 1, 7, 5, 3, 2}) * 10 % 11 % 10 == digit(n.back());
}

Verdict ro_cf(View number) {
    const Text n = compact(number, U" -");
    Text bare = n;
    drop_prefix(bare, U"RO");
    return accept(n, bare.size() == 13 ? ro_cnp(bare) : bare.size() >= 2 && bare.size() <= 10 && ro_cui(n));
}

Verdict se_vat(View number) {
    const Text n = national(number, U" -.", U"SE");
    if (!isdigits(n) || sub(n, -2) != U"01") return {};
    const View organisation = sub(n, 0, -2);
    return accept(n, organisation.size() == 10 && luhn_valid(organisation));
}

Verdict si_ddv(View number) {
    const Text n = national(number, U" -", U"SI");
    if (!isdigits(n) || n[0] == U'0' || n.size() != 8) return {};
    const long check = 11 - weighted(n, {8, 7, 6, 5, 4, 3, 2}) % 11;
    return accept(n, check != 11 && check % 10 == digit(n[7]));
}

Verdict sk_dph(View number) {
    const Text n = national(number, U" -", U"SK");
    if (!isdigits(n) || n.size() != 10) return {};
    return accept(n, cz_rc(n) || (n[0] != U'0' && in(n[2], U"234789") && to_int(n) % 11 == 0));
}

Verdict eu_oss(View number) {
    const Text n = compact(number, U" -");
    const size_t length = View(n).starts_with(U"EU") ? 11 : View(n).starts_with(U"IM") ? 12 : 0;
    if (length == 0 || n.size() != length || !isdigits(sub(n, 2))) return {};
    const View state = sub(n, 2, 5);  // ISO 3166-1 numeric code of a member state, or 900 (Northern Ireland)
    return accept(n, one_of(state, {U"040", U"056", U"100", U"191", U"196", U"203", U"208", U"233", U"246", U"250",
                                     U"276", U"300", U"348", U"372", U"380", U"428", U"440", U"442", U"470", U"528",
                                     U"616", U"620", U"642", U"703", U"705", U"724", U"752", U"900"}));
}

struct Prefix {
    View code;
    Verdict (*validate)(View);
};
constexpr Prefix kPrefixes[] = {
    {U"AT", at_uid}, {U"BE", be_vat}, {U"BG", bg_vat}, {U"CY", cy_vat}, {U"CZ", cz_dic}, {U"DE", de_vat},
    {U"DK", dk_cvr}, {U"EE", ee_kmkr}, {U"ES", es_nif}, {U"FI", fi_alv}, {U"FR", fr_tva}, {U"EL", gr_vat},
    {U"GR", gr_vat}, {U"HR", hr_oib}, {U"HU", hu_anum}, {U"IE", ie_vat}, {U"IT", it_iva}, {U"LT", lt_pvm},
    {U"LU", lu_tva}, {U"LV", lv_pvn}, {U"MT", mt_vat}, {U"NL", nl_btw}, {U"PL", pl_nip}, {U"PT", pt_nif},
    {U"RO", ro_cf},  {U"SE", se_vat}, {U"SI", si_ddv}, {U"SK", sk_dph}, {U"XI", gb_vat}, {U"EU", eu_oss},
    {U"IM", eu_oss},
};
}  // namespace

Verdict eu_vat(View number) {
    const Text n = compact(number, U"");
    const View code = sub(n, 0, 2);
    for (const Prefix& prefix : kPrefixes) {
        if (prefix.code != code) continue;
        Verdict v = prefix.validate(n);
        if (v && !View(*v).starts_with(code)) v->insert(0, code);
        return v;
    }
    return {};
}

Verdict gb_vat(View number) {
    Text n = compact(number, U" -.");
    if (!drop_prefix(n, U"GB")) drop_prefix(n, U"XI");
    const View kind = sub(n, 0, 2);
    if (n.size() == 5) {  // government departments (GD) and health authorities (HA)
        if (!isdigits(sub(n, 2))) return {};
        const long unit = to_int(sub(n, 2));
        return accept(n, (kind == U"GD" && unit < 500) || (kind == U"HA" && unit >= 500));
    }
    if (n.size() == 11 && (sub(n, 0, 6) == U"GD8888" || sub(n, 0, 6) == U"HA8888")) {
        if (!isdigits(sub(n, 6))) return {};
        const long unit = to_int(sub(n, 6, 9));
        return accept(n, ((kind == U"GD" && unit < 500) || (kind == U"HA" && unit >= 500)) && unit % 97 == to_int(sub(n, 9)));
    }
    if ((n.size() != 9 && n.size() != 12) || !isdigits(n)) return {};
    // Σ weight·digit mod 97: 0 in the original scheme; 42 and 55 in HMRC's newer one (numbers from 100 on)
    const long sum = weighted(n, {8, 7, 6, 5, 4, 3, 2, 10, 1}) % 97;
    return accept(n, sum == 0 || (to_int(sub(n, 0, 3)) >= 100 && (sum == 42 || sum == 55)));
}

}  // namespace clientele::tax_id::stdnum
