// Tax IDs: real numbers of each checksum-checked format validate and normalize; one changed check
// digit fails; the country decides which formats are tried; garbage never validates.
#include <gtest/gtest.h>

#include <set>

#include "rules/tax_id.hpp"

using namespace clientele;

namespace {
struct Case {
    const char* country;
    const char* input;
    const char* value;
    const char* format;
};

// Published or registry examples (python-stdnum's documentation and public registers).
const Case kValid[] = {
    {"AT", "ATU13585627", "ATU13585627", "eu_vat"},      {"BE", "BE 0403.019.261", "BE0403019261", "eu_vat"},
    {"BG", "BG 175 074 752", "BG175074752", "eu_vat"},   {"CY", "CY-10259033P", "CY10259033P", "eu_vat"},
    {"CZ", "CZ 25123891", "CZ25123891", "eu_vat"},       {"DE", "de 136 695 976", "DE136695976", "eu_vat"},
    {"DK", "DK 13 58 56 28", "DK13585628", "eu_vat"},    {"EE", "EE100931558", "EE100931558", "eu_vat"},
    {"GR", "EL 094259216", "EL094259216", "eu_vat"},     {"GR", "094259216", "EL094259216", "eu_vat"},
    {"ES", "ES A13 585 625", "ESA13585625", "eu_vat"},   {"ES", "ES 54362315K", "ES54362315K", "eu_vat"},
    {"FI", "FI 20774740", "FI20774740", "eu_vat"},       {"FR", "fr 40 303 265 045", "FR40303265045", "eu_vat"},
    {"FR", "84 323 140 392", "FR84323140392", "eu_vat"}, {"HR", "HR 33392005961", "HR33392005961", "eu_vat"},
    {"HU", "HU12892312", "HU12892312", "eu_vat"},        {"IE", "IE 6433435F", "IE6433435F", "eu_vat"},
    {"IE", "IE 6433435OA", "IE6433435OA", "eu_vat"},     {"IE", "IE 8D79739I", "IE8D79739I", "eu_vat"},
    {"IT", "IT 00743110157", "IT00743110157", "eu_vat"}, {"LT", "LT 119511515", "LT119511515", "eu_vat"},
    {"LT", "LT 100001919017", "LT100001919017", "eu_vat"}, {"LU", "LU 150 274 42", "LU15027442", "eu_vat"},
    {"LV", "LV 4000 3521 600", "LV40003521600", "eu_vat"}, {"MT", "MT 1167-9112", "MT11679112", "eu_vat"},
    {"NL", "NL 004495445B01", "NL004495445B01", "eu_vat"}, {"PL", "PL 8567346215", "PL8567346215", "eu_vat"},
    {"PT", "PT 501 964 843", "PT501964843", "eu_vat"},   {"RO", "RO 185 472 90", "RO18547290", "eu_vat"},
    {"SE", "SE 123456789701", "SE123456789701", "eu_vat"}, {"SI", "SI 5022 3054", "SI50223054", "eu_vat"},
    {"SK", "SK 202 274 96 19", "SK2022749619", "eu_vat"}, {"DE", "EU372022452", "EU372022452", "eu_oss_vat"},
    {"GB", "GB 980 7806 84", "980780684", "gb_vat"},     {"CH", "CHE-107.787.577 IVA", "CHE107787577IVA", "ch_vat"},
    {"CH", "CHE-100.155.212", "CHE100155212", "ch_uid"}, {"NO", "NO 995 525 828 MVA", "995525828MVA", "no_vat"},
    {"AU", "83 914 571 673", "83914571673", "au_abn"},   {"CA", "12302 6635", "123026635", "ca_bn"},
    {"CA", "123026635 RT 0001", "123026635RT0001", "ca_gst_hst"}, {"IN", "27AAPFU0939F1ZV", "27AAPFU0939F1ZV", "in_gst"},
    {"BR", "16.727.230/0001-97", "16727230000197", "br_cnpj"}, {"BR", "390.533.447-05", "39053344705", "br_cpf"},
    {"US", "04-2103594", "042103594", "us_ein"},         {"AR", "20-05536168-2", "20055361682", "ar_cuit"},
    {"CL", "76086428-5", "760864285", "cl_tin"},          {"CN", "91110000600037341L", "91110000600037341L", "cn_tin"},
    {"CO", "213.123.432-1", "2131234321", "co_nit"},      {"DO", "1-01-85004-3", "101850043", "do_rcn"},
    {"PE", "20512333797", "20512333797", "pe_ruc"},       {"KR", "116-82-00276", "1168200276", "kr_brn"},
    {"JP", "5-8356-7825-6246", "5835678256246", "jp_cn"}, {"JP", "T5835678256246", "T5835678256246", "jp_trn"},
    {"NZ", "49-091-850", "49091850", "nz_gst"},           {"RS", "101134702", "101134702", "rs_pib"},
    {"TH", "0-99-4-000-61772-1", "0994000617721", "th_vat"}, {"TR", "4540536920", "4540536920", "tr_tin"},
    {"TW", "04595257", "04595257", "tw_vat"},             {"UY", "21-100342-001-7", "211003420017", "uy_ruc"},
    {"VE", "V-11470283-4", "V114702834", "ve_rif"},       {"VN", "0100109106", "0100109106", "vn_tin"},
    {"ZA", "4012345676", "4012345676", "za_vat"},  // constructed: 4 + Luhn         {"IL", "516179157", "516179157", "il_vat"},
    {"RU", "123456789047", "123456789047", "ru_inn"},     {"MX", "GODE 561231 GR8", "GODE561231GR8", "mx_rfc"},
    {"CA", "PST-1234-5678", "PST12345678", "ca_pst_bc"},  {"CA", "1234567890TQ1234", "1234567890TQ1234", "ca_qst"},
};

// How many of the 9 other values of the first digit still validate as `format`: every checked format
// weighs that digit, so at most one can collide (a mod-11 check mapping 10 and 0 alike).
int first_digit_collisions(const Case& c) {
    std::string s = c.value;
    size_t i = s.find_first_of("0123456789");
    if (std::string(c.country) == "LV") ++i;  // there the first digit picks the algorithm (legal or personal)
    int valid = 0;
    for (int k = 1; k < 10; ++k) {
        std::string bad = s;
        bad[i] = static_cast<char>('0' + (s[i] - '0' + k) % 10);
        auto m = tax_id::validate(c.country, bad);
        valid += m && m->format == c.format && m->value == bad;
    }
    return valid;
}
}  // namespace

TEST(TaxId, ValidNumbersNormalizeToTheirFormat) {
    for (const auto& c : kValid) {
        auto m = tax_id::validate(c.country, c.input);
        EXPECT_TRUE(m) << c.country << " " << c.input;
        if (!m) continue;
        EXPECT_EQ(m->value, c.value) << c.input;
        EXPECT_EQ(m->format, c.format) << c.input;
    }
}

TEST(TaxId, ChangedDigitsFailForEveryChecksumFormat) {
    std::set<std::string> checksummed;
    for (const auto& f : tax_id::formats())
        if (f.checksum) checksummed.insert(std::string(f.format));
    std::set<std::string> covered;
    for (const auto& c : kValid) {
        if (!checksummed.count(c.format)) continue;
        if (std::string(c.format) == "ie" || std::string(c.input).find("8D79739I") != std::string::npos) continue;
        EXPECT_LE(first_digit_collisions(c), 1) << c.country << " " << c.value;
        covered.insert(c.format);
    }
    for (const char* f : {"eu_vat", "gb_vat", "ch_vat", "ch_uid", "no_vat", "au_abn", "ca_bn", "in_gst", "br_cnpj", "br_cpf"})
        EXPECT_TRUE(covered.count(f)) << f;
}

TEST(TaxId, TheBillingCountryDecides) {
    EXPECT_FALSE(tax_id::validate("DE", "FR40303265045"));
    EXPECT_FALSE(tax_id::validate("US", "DE136695976"));
    EXPECT_FALSE(tax_id::validate("FR", "04-2103594"));
    EXPECT_FALSE(tax_id::validate("AQ", "123456789"));  // no format for this country
}

TEST(TaxId, GarbageNeverValidates) {
    for (std::string bad : {std::string(""), std::string("   "), std::string(100000, '1'), std::string("DE13669597\xC3\xA9"),
                            std::string("DE") + std::string(1, '\0') + "136695976", std::string("!!!"), std::string("DE"), std::string("EU")})
        for (const char* country : {"DE", "FR", "US", "IN", "BR", "GB", "XX", ""}) EXPECT_FALSE(tax_id::validate(country, bad)) << country;
}

TEST(TaxId, ThePolarListHas76Formats) {
    const auto& all = tax_id::formats();
    EXPECT_EQ(all.size(), 76u);
    std::set<std::string_view> names;
    for (const auto& f : all) names.insert(f.format);
    EXPECT_EQ(names.size(), 76u);
    for (const char* name : {"eu_vat", "gb_vat", "us_ein", "ca_bn", "ca_gst_hst", "au_abn", "au_arn", "in_gst", "br_cnpj", "mu_tan", "eu_oss_vat"})
        EXPECT_TRUE(names.count(name)) << name;
}
