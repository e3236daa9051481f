// Tax IDs: Polar's TaxIDFormat list and its country → formats map, the checks of the formats python-stdnum
// does not cover (Polar's own patterns, and clientele's), and validate().
#include "rules/tax_id.hpp"

#include <algorithm>
#include <array>

#include "rules/tax_id_stdnum.hpp"

namespace clientele::tax_id {

namespace {
using Check = Verdict (*)(View input);  // on the raw input: the compact value, or nullopt
using Shape = bool (*)(View compact);   // a pattern, on the input compacted by pattern_compact()

// ---- Polar's own checks for formats stdnum does not cover (server/polar/tax/tax_id.py) ------------------
Text without_spaces_dashes_dots(View input) {  // number.replace(" ", "").replace("-", "").replace(".", "").strip()
    Text out;
    for (char32_t c : input)
        if (c != U' ' && c != U'-' && c != U'.') out.push_back(c);
    return strip(out);
}
Verdict ae_trn(View input) {
    const Text n = without_spaces_dashes_dots(input);
    return accept(n, n.size() == 15 && isdigits(n));
}
Verdict ge_vat(View input) {
    Text n = without_spaces_dashes_dots(input);
    if (upper(sub(n, 0, 2)) == U"GE") n.erase(0, 2);
    return accept(n, (n.size() == 9 || n.size() == 11) && isdigits(n));
}
Verdict hk_br(View input) {  // re.sub(r"[\s.()-]", "", number): the check digit may be in parentheses
    Text n;
    for (char32_t c : input)
        if (!is_space(c) && !in(c, U".()-")) n.push_back(c);
    return accept(n, n.size() == 8 && isdigits(n));
}
Verdict mu_tan(View input) {
    const Text n = without_spaces_dashes_dots(input);
    return accept(n, n.size() == 8 && isdigits(n) && in(n[0], U"23"));
}

// ---- clientele's patterns for the formats neither stdnum nor Polar checks ----------------------------
Text pattern_compact(View input) { return compact(input, U" -./,"); }

bool digits(View n, size_t lo, size_t hi) { return isdigits(n) && n.size() >= lo && n.size() <= hi; }
bool digits(View n, size_t length) { return digits(n, length, length); }
bool letters_then_digits(View n, View head, size_t length) {
    return n.starts_with(head) && digits(sub(n, static_cast<long>(head.size())), length);
}

bool au_arn(View n) { return digits(n, 12); }
bool bh_vat(View n) { return digits(n, 15); }
bool bo_tin(View n) { return digits(n, 7, 12); }
bool ca_pst_bc(View n) { return letters_then_digits(n, U"PST", 8); }
bool ca_pst_mb(View n) { return digits(n, 7); }
bool ca_pst_sk(View n) { return digits(n, 7); }
bool ca_qst(View n) { return n.size() == 16 && digits(sub(n, 0, 10), 10) && sub(n, 10, 12) == U"TQ" && digits(sub(n, 12), 4); }
bool cn_tin(View n) {  // the unified social credit code's 18 characters (its alphabet has no I, O, S, V, Z)
    const auto coded = [](char32_t c) { return in(c, U"0123456789ABCDEFGHJKLMNPQRTUWXY"); };
    return n.size() == 18 && std::all_of(n.begin(), n.end(), coded);
}
bool do_rcn(View n) { return digits(n, 9); }
bool eg_tin(View n) { return digits(n, 9); }
bool jp_rn(View n) { return digits(n, 5); }
bool jp_trn(View n) { return letters_then_digits(n, U"T", 13); }
bool kz_bin(View n) { return digits(n, 12); }
bool li_uid(View n) { return letters_then_digits(n, U"CHE", 9); }
bool my_frp(View n) { return digits(n, 8); }
bool my_itn(View n) {
    const auto alnum = [](char32_t c) { return is_upper_letter(c) || (c >= U'0' && c <= U'9'); };
    return n.size() >= 10 && n.size() <= 13 && is_upper_letter(n[0]) && std::all_of(n.begin(), n.end(), alnum);
}
bool my_sst(View n) { return n.size() == 15 && is_upper_letter(n[0]) && digits(sub(n, 1), 14); }
bool ng_tin(View n) { return digits(n, 12); }
bool no_voec(View n) { return letters_then_digits(n, U"VOEC", 7); }
bool nz_gst(View n) { return digits(n, 8, 9); }
bool om_vat(View n) { return letters_then_digits(n, U"OM", 10); }
bool ph_tin(View n) { return digits(n, 12); }
bool ru_kpp(View n) {
    const auto alnum = [](char32_t c) { return is_upper_letter(c) || (c >= U'0' && c <= U'9'); };
    return n.size() == 9 && digits(sub(n, 0, 4), 4) && alnum(n[4]) && alnum(n[5]) && digits(sub(n, 6), 3);
}
bool sa_vat(View n) { return digits(n, 15); }
bool sg_gst(View n) { return n.size() == 10 && n[0] == U'M' && digits(sub(n, 1, 9), 8) && is_upper_letter(n[9]); }
bool ua_vat(View n) { return digits(n, 9, 12); }
bool za_vat(View n) { return digits(n, 10) && n[0] == U'4'; }

struct Format {
    std::string_view name, country;
    std::string_view stdnum;  // the module Polar checks with; empty: a pattern only
    Check check;              // stdnum's check or Polar's own
    Shape shape;              // clientele's pattern, when neither stdnum nor Polar checks the format
};

// Polar's TaxIDFormat list, grouped by country in the order Polar tries them (COUNTRY_TAX_ID_MAP).
// An EU member state tries eu_vat alone; bg_uic, de_stn, es_cif, eu_oss_vat, hr_oib, hu_tin, ro_tin and
// si_tin are in the list, but no country's formats include them.
using namespace stdnum;
constexpr std::array<Format, 76> kFormats = {{
    {"ad_nrt", "AD", "stdnum.ad.nrt", ad_nrt, nullptr},
    {"ae_trn", "AE", "", ae_trn, nullptr},
    {"ar_cuit", "AR", "stdnum.ar.cuit", ar_cuit, nullptr},
    {"au_abn", "AU", "stdnum.au.abn", au_abn, nullptr},
    {"au_arn", "AU", "", nullptr, au_arn},
    {"bg_uic", "BG", "", nullptr, nullptr},
    {"bh_vat", "BH", "", nullptr, bh_vat},
    {"bo_tin", "BO", "", nullptr, bo_tin},
    {"br_cnpj", "BR", "stdnum.br.cnpj", br_cnpj, nullptr},
    {"br_cpf", "BR", "stdnum.br.cpf", br_cpf, nullptr},
    {"ca_gst_hst", "CA", "stdnum.ca.bn", ca_gst_hst, nullptr},
    {"ca_pst_bc", "CA", "", nullptr, ca_pst_bc},
    {"ca_pst_mb", "CA", "", nullptr, ca_pst_mb},
    {"ca_pst_sk", "CA", "", nullptr, ca_pst_sk},
    {"ca_qst", "CA", "", nullptr, ca_qst},
    {"ca_bn", "CA", "stdnum.ca.bn", ca_bn, nullptr},
    {"ch_uid", "CH", "stdnum.ch.uid", ch_uid, nullptr},
    {"ch_vat", "CH", "stdnum.ch.vat", ch_vat, nullptr},
    {"cl_tin", "CL", "stdnum.cl.rut", cl_tin, nullptr},
    {"cn_tin", "CN", "", nullptr, cn_tin},
    {"co_nit", "CO", "stdnum.co.nit", co_nit, nullptr},
    {"cr_tin", "CR", "stdnum.cr.cpj", cr_tin, nullptr},
    {"de_stn", "DE", "", nullptr, nullptr},
    {"do_rcn", "DO", "", nullptr, do_rcn},
    {"ec_ruc", "EC", "stdnum.ec.ruc", ec_ruc, nullptr},
    {"eg_tin", "EG", "", nullptr, eg_tin},
    {"es_cif", "ES", "", nullptr, nullptr},
    {"eu_oss_vat", "EU", "", nullptr, nullptr},
    {"eu_vat", "EU", "stdnum.eu.vat", eu_vat, nullptr},
    {"gb_vat", "GB", "stdnum.gb.vat", gb_vat, nullptr},
    {"ge_vat", "GE", "", ge_vat, nullptr},
    {"hk_br", "HK", "", hk_br, nullptr},
    {"hr_oib", "HR", "", nullptr, nullptr},
    {"hu_tin", "HU", "", nullptr, nullptr},
    {"id_npwp", "ID", "stdnum.id.npwp", id_npwp, nullptr},
    {"il_vat", "IL", "stdnum.il.idnr", il_vat, nullptr},
    {"in_gst", "IN", "stdnum.in_.gstin", in_gst, nullptr},
    {"is_vat", "IS", "stdnum.is_.vsk", is_vat, nullptr},
    {"jp_cn", "JP", "stdnum.jp.cn", jp_cn, nullptr},
    {"jp_rn", "JP", "", nullptr, jp_rn},
    {"jp_trn", "JP", "", nullptr, jp_trn},
    {"ke_pin", "KE", "stdnum.ke.pin", ke_pin, nullptr},
    {"kr_brn", "KR", "stdnum.kr.brn", kr_brn, nullptr},
    {"kz_bin", "KZ", "", nullptr, kz_bin},
    {"li_uid", "LI", "", nullptr, li_uid},
    {"mk_vat", "MK", "stdnum.mk.edb", mk_vat, nullptr},
    {"mx_rfc", "MX", "stdnum.mx.rfc", mx_rfc, nullptr},
    {"my_frp", "MY", "", nullptr, my_frp},
    {"my_itn", "MY", "", nullptr, my_itn},
    {"my_sst", "MY", "", nullptr, my_sst},
    {"ng_tin", "NG", "", nullptr, ng_tin},
    {"no_vat", "NO", "stdnum.no.mva", no_vat, nullptr},
    {"no_voec", "NO", "", nullptr, no_voec},
    {"nz_gst", "NZ", "", nullptr, nz_gst},
    {"om_vat", "OM", "", nullptr, om_vat},
    {"pe_ruc", "PE", "stdnum.pe.ruc", pe_ruc, nullptr},
    {"ph_tin", "PH", "", nullptr, ph_tin},
    {"ro_tin", "RO", "", nullptr, nullptr},
    {"rs_pib", "RS", "stdnum.rs.pib", rs_pib, nullptr},
    {"ru_inn", "RU", "stdnum.ru.inn", ru_inn, nullptr},
    {"ru_kpp", "RU", "", nullptr, ru_kpp},
    {"sa_vat", "SA", "", nullptr, sa_vat},
    {"sg_gst", "SG", "", nullptr, sg_gst},
    {"sg_uen", "SG", "stdnum.sg.uen", sg_uen, nullptr},
    {"si_tin", "SI", "", nullptr, nullptr},
    {"sv_nit", "SV", "stdnum.sv.nit", sv_nit, nullptr},
    {"th_vat", "TH", "stdnum.th.moa", th_vat, nullptr},
    {"tr_tin", "TR", "stdnum.tr.vkn", tr_tin, nullptr},
    {"tw_vat", "TW", "stdnum.tw.ubn", tw_vat, nullptr},
    {"ua_vat", "UA", "", nullptr, ua_vat},
    {"us_ein", "US", "stdnum.us.ein", us_ein, nullptr},
    {"uy_ruc", "UY", "stdnum.uy.rut", uy_ruc, nullptr},
    {"ve_rif", "VE", "stdnum.ve.rif", ve_rif, nullptr},
    {"vn_tin", "VN", "stdnum.vn.mst", vn_tin, nullptr},
    {"za_vat", "ZA", "", nullptr, za_vat},
    {"mu_tan", "MU", "", mu_tan, nullptr},
}};

constexpr std::string_view kEuStates[] = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
                                          "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};

// A pattern passes on the compact input, or on it without the country code in front.
Verdict pattern(const Format& f, View input) {
    Text n = pattern_compact(input);
    if (f.shape(n)) return n;
    const Text country(f.country.begin(), f.country.end());
    return accept(n, drop_prefix(n, country) && f.shape(n));
}

Verdict check(const Format& f, View input) { return f.check ? f.check(input) : pattern(f, input); }
}  // namespace

std::optional<Match> validate(std::string_view country, std::string_view input) {
    const auto text = decode(input);
    if (!text) return std::nullopt;
    const bool eu = std::find(std::begin(kEuStates), std::end(kEuStates), country) != std::end(kEuStates);
    if (!eu && country == "EU") return std::nullopt;  // not a country: the EU formats go by member state
    const std::string_view formats_of = eu ? "EU" : country;
    for (const Format& f : kFormats) {
        if (f.country != formats_of || (!f.check && !f.shape)) continue;
        if (auto value = check(f, *text)) return Match{encode(*value), std::string(f.name)};
    }
    return std::nullopt;
}

const std::vector<FormatInfo>& formats() {
    static const std::vector<FormatInfo> all = [] {
        std::vector<FormatInfo> out;
        for (const Format& f : kFormats) out.push_back({f.name, f.country, f.stdnum});
        return out;
    }();
    return all;
}

}  // namespace clientele::tax_id
