#!/usr/bin/env python3
"""Writes tests/core/tax_id_vectors.inc: tax IDs with the verdict Polar's server gives them, to test
core/rules/tax_id.cpp against.

Polar validates a tax ID with python-stdnum (server/polar/tax/tax_id.py): the billing country picks a
list of formats, each format is checked by the stdnum module named after it (or by one of Polar's own
wrappers around a stdnum module), a format without a module is skipped, and the first format that
validates gives the stored value, stdnum's compact form. This script replays that logic with
python-stdnum itself as the oracle, over the numbers stdnum documents: the >>> examples of each module's
docstring, the strings of its upstream test file (tests/test_*.doctest), numbers derived from the valid
ones (a changed last digit, other separators, lower case, Unicode look-alikes), junk from stdnum's
robustness test, and a few constructed cases. Formats Polar checks by pattern only are left out.

Each row: {billing country, format, input, valid, compact}. For a valid row, format and compact are
what Polar answers; for an invalid one, format is the format whose numbers the input was drawn from.

Run with Debian's python (no third-party packages are needed) and a checkout of python-stdnum at the
tag Polar locks (server/uv.lock):
    git clone https://github.com/arthurdejong/python-stdnum /tmp/python-stdnum
    git -C /tmp/python-stdnum checkout 2.2
    /usr/bin/python3 scripts/gen/tax_id_vectors.py /tmp/python-stdnum
"""
import ast
import datetime
import doctest
import importlib
import pathlib
import re
import sys

STDNUM_VERSION = "2.2"  # python-stdnum in Polar's server/uv.lock
POLAR_COMMIT = "c6c3645e639ee8eeaa05aa0835cf8e39e330382f"  # polarsource/polar, server/polar/tax/tax_id.py

root = pathlib.Path(__file__).resolve().parents[2]
checkout = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "").resolve()
if not (checkout / "stdnum" / "__init__.py").exists() or not (checkout / "tests").is_dir():
    sys.exit("usage: tax_id_vectors.py PYTHON_STDNUM_CHECKOUT (a checkout of python-stdnum %s)" % STDNUM_VERSION)
sys.path.insert(0, str(checkout))

import stdnum  # noqa: E402
from stdnum import get_cc_module  # noqa: E402
from stdnum.exceptions import InvalidChecksum, ValidationError  # noqa: E402

if stdnum.__version__ != STDNUM_VERSION:
    sys.exit("python-stdnum %s found in %s, %s needed" % (stdnum.__version__, checkout, STDNUM_VERSION))

# ---- Polar's logic (server/polar/tax/tax_id.py) --------------------------------------------------

COUNTRY_FORMATS = {
    "AD": ["ad_nrt"], "AE": ["ae_trn"], "AR": ["ar_cuit"], "AT": ["eu_vat"], "AU": ["au_abn", "au_arn"],
    "BE": ["eu_vat"], "BG": ["eu_vat"], "BH": ["bh_vat"], "BO": ["bo_tin"], "BR": ["br_cnpj", "br_cpf"],
    "CA": ["ca_gst_hst", "ca_pst_bc", "ca_pst_mb", "ca_pst_sk", "ca_qst", "ca_bn"], "CH": ["ch_uid", "ch_vat"],
    "CL": ["cl_tin"], "CN": ["cn_tin"], "CO": ["co_nit"], "CR": ["cr_tin"], "CY": ["eu_vat"], "CZ": ["eu_vat"],
    "DE": ["eu_vat"], "DK": ["eu_vat"], "DO": ["do_rcn"], "EC": ["ec_ruc"], "EE": ["eu_vat"], "EG": ["eg_tin"],
    "ES": ["eu_vat"], "FI": ["eu_vat"], "FR": ["eu_vat"], "GB": ["gb_vat"], "GE": ["ge_vat"], "GR": ["eu_vat"],
    "HK": ["hk_br"], "HR": ["eu_vat"], "HU": ["eu_vat"], "ID": ["id_npwp"], "IE": ["eu_vat"], "IL": ["il_vat"],
    "IN": ["in_gst"], "IS": ["is_vat"], "IT": ["eu_vat"], "JP": ["jp_cn", "jp_rn", "jp_trn"], "KE": ["ke_pin"],
    "KR": ["kr_brn"], "KZ": ["kz_bin"], "LI": ["li_uid"], "LT": ["eu_vat"], "LU": ["eu_vat"], "LV": ["eu_vat"],
    "MT": ["eu_vat"], "MK": ["mk_vat"], "MU": ["mu_tan"], "MX": ["mx_rfc"], "MY": ["my_frp", "my_itn", "my_sst"],
    "NG": ["ng_tin"], "NL": ["eu_vat"], "NO": ["no_vat", "no_voec"], "NZ": ["nz_gst"], "OM": ["om_vat"],
    "PE": ["pe_ruc"], "PH": ["ph_tin"], "PL": ["eu_vat"], "PT": ["eu_vat"], "RO": ["eu_vat"], "RS": ["rs_pib"],
    "RU": ["ru_inn", "ru_kpp"], "SA": ["sa_vat"], "SE": ["eu_vat"], "SG": ["sg_gst", "sg_uen"], "SI": ["eu_vat"],
    "SK": ["eu_vat"], "SV": ["sv_nit"], "TH": ["th_vat"], "TR": ["tr_tin"], "TW": ["tw_vat"], "UA": ["ua_vat"],
    "US": ["us_ein"], "UY": ["uy_ruc"], "VE": ["ve_rif"], "VN": ["vn_tin"], "ZA": ["za_vat"],
}
PATTERN_FORMATS = {"ae_trn", "ge_vat", "hk_br", "mu_tan"}  # Polar's own pattern checks, no stdnum
EC_RUC_NO_CHECKSUM = re.compile(r"(0[1-9]|1[0-9]|2[0-4]|30)9[0-d]{7}001")


def module(name):
    return importlib.import_module("stdnum." + name)


def compact_then_validate(name):
    mod = module(name)
    return lambda number: mod.validate(mod.compact(number))


def ca_gst_hst(number):
    bn = module("ca.bn")
    number = bn.compact(number)
    if len(number) != 15:
        raise ValidationError()
    return bn.validate(number)


def ec_ruc(number):
    ruc = module("ec.ruc")
    number = ruc.compact(number)
    try:
        return ruc.validate(number)
    except InvalidChecksum:
        if EC_RUC_NO_CHECKSUM.fullmatch(number):
            return number
        raise


def tw_vat(number):
    ubn = module("tw.ubn")
    number = ubn.compact(number)
    try:
        return ubn.validate(number)
    except InvalidChecksum:
        checksum = ubn.calc_checksum(number)
        if checksum % 5 == 0 or (number[6] == "7" and (checksum + 1) % 5 == 0):
            return number
        raise


WRAPPED = {
    "ca_gst_hst": ca_gst_hst, "cl_tin": compact_then_validate("cl.rut"), "co_nit": compact_then_validate("co.nit"),
    "cr_tin": compact_then_validate("cr.cpj"), "ec_ruc": ec_ruc, "il_vat": compact_then_validate("il.idnr"),
    "in_gst": compact_then_validate("in_.gstin"), "mk_vat": compact_then_validate("mk.edb"),
    "tr_tin": compact_then_validate("tr.vkn"), "tw_vat": tw_vat, "uy_ruc": compact_then_validate("uy.rut"),
    "vn_tin": compact_then_validate("vn.mst"),
}


def validator(fmt):
    """Polar's check of one format, or None when Polar has no stdnum check for it."""
    if fmt in PATTERN_FORMATS:
        return None
    if fmt in WRAPPED:
        return WRAPPED[fmt]
    cc, name = fmt.split("_", 1)
    mod = get_cc_module(cc, name)
    return mod.validate if mod is not None else None


def polar(country, number):
    """(compact, format) as Polar's validate_tax_id answers, the pattern-only formats left out."""
    for fmt in COUNTRY_FORMATS.get(country, []):
        check = validator(fmt)
        if check is None:
            continue
        try:
            return check(number), fmt
        except ValidationError:
            continue
    return None


# ---- where the numbers come from -----------------------------------------------------------------

EU_STATES = {  # stdnum module of each VAT prefix: its billing country
    "at.uid": "AT", "be.vat": "BE", "bg.vat": "BG", "cy.vat": "CY", "cz.dic": "CZ", "de.vat": "DE", "dk.cvr": "DK",
    "ee.kmkr": "EE", "es.nif": "ES", "fi.alv": "FI", "fr.tva": "FR", "gr.vat": "GR", "hr.oib": "HR",
    "hu.anum": "HU", "ie.vat": "IE", "it.iva": "IT", "lt.pvm": "LT", "lu.tva": "LU", "lv.pvn": "LV",
    "mt.vat": "MT", "nl.btw": "NL", "pl.nip": "PL", "pt.nif": "PT", "ro.cf": "RO", "se.vat": "SE",
    "si.ddv": "SI", "sk.dph": "SK",
}
SOURCES = {  # format: stdnum modules whose examples and test numbers are drawn
    "ad_nrt": ["ad.nrt"], "ar_cuit": ["ar.cuit"], "au_abn": ["au.abn"], "br_cnpj": ["br.cnpj"],
    "br_cpf": ["br.cpf"], "ca_bn": ["ca.bn"], "ch_uid": ["ch.uid"], "ch_vat": ["ch.vat"], "cl_tin": ["cl.rut"],
    "co_nit": ["co.nit"], "cr_tin": ["cr.cpj"], "ec_ruc": ["ec.ruc"],
    "eu_vat": ["eu.vat", "eu.oss", "gb.vat"] + sorted(EU_STATES),
    "gb_vat": ["gb.vat"], "id_npwp": ["id.npwp"], "il_vat": ["il.idnr", "il.hp"], "in_gst": ["in_.gstin"],
    "is_vat": ["is_.vsk"], "jp_cn": ["jp.cn"], "ke_pin": ["ke.pin"], "kr_brn": ["kr.brn"], "mk_vat": ["mk.edb"],
    "mx_rfc": ["mx.rfc"], "no_vat": ["no.mva"], "pe_ruc": ["pe.ruc"], "rs_pib": ["rs.pib"], "ru_inn": ["ru.inn"],
    "sg_uen": ["sg.uen"], "sv_nit": ["sv.nit"], "th_vat": ["th.moa"], "tr_tin": ["tr.vkn"], "tw_vat": ["tw.ubn"],
    "us_ein": ["us.ein"], "uy_ruc": ["uy.rut"], "ve_rif": ["ve.rif"], "vn_tin": ["vn.mst"],
}
# Cases the documentation and test files do not show, each checked by the oracle like every other row.
EXTRA = {
    "eu_vat": ["BE 1000.000.067", "BE0697449992", "BE697449992", "EE 123456780", "EE 200000003",
               "ﬁ20774740", "ſe123456789701", "ıe6433435F", "EL 094259216", "GR 094259216", "el094259216",
               "EU372022452", "IM3720000224", "XI 980780684", "xi980780684", "LV 161175-19997",
               "LV 010101-10007", "LV 290200-10004", "LV 290201-10004", "LV 320000-00000"],
    "gb_vat": ["975 8664 50", "XI 980 7806 84", "GB 100 0000 42", "GB 975 5000 00"],
    "ca_bn": ["123456782RC0001", "123456782 RT 0001", "123456782RZ0001", "123456782rc0001", "123456782-RM-0002"],
    "mx_rfc": ["GODE561231GR8", "GODE 561231", "GODE561731GR8", "GODE561233GR8", "GODE560229GR8",
               "GODE000229GR8", "ÑUÑO561231GR8", "ñuño561231gr8", "MAÑ561231GR8", "CACA561231GR8"],
    "mk_vat": ["мк4030000375897", "MK 4030000375897", "МК 4030000375897"],
    "ke_pin": ["|123456789A", "P051365947M", "p051365947m"],
    "tw_vat": ["04595257", "04595252", "10458575", "10458574"],
    "us_ein": ["%02d-1234567" % prefix for prefix in range(100)] + ["04 2103594", "0421-03594", "042103594"],
}
JUNK = ["", " ", "*&^%$", "Z", "QQ", "3", "€", "😴", "¥", "3²", "ⅷ", "⑱", "᭓", "-", "0", "00000000000"]
EU_BILLING = {"EL": "GR", "XI": "IE", "EU": "DE", "IM": "DE"}  # a billing country for VAT prefixes that are none
LINE_LIMIT = 64
SAMPLE = {"eu.vat": 240}  # test-file strings kept per module (evenly spread), to keep the table small
SAMPLE_DEFAULT = 40


def doctest_strings(text):
    """Every string constant in the examples of a doctest text, multi-line strings split into lines."""
    out = []
    for example in doctest.DocTestParser().get_examples(text):
        try:
            tree = ast.parse(example.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.extend(line for line in node.value.splitlines() if line.strip())
    return out


def test_file(name):
    cc, mod = name.split(".")
    return checkout / "tests" / ("test_%s_%s.doctest" % (cc.rstrip("_"), mod))


def numbers_of(name):
    """The module's docstring examples, and an even sample of the strings of its test file."""
    def usable(strings):
        return [s for s in strings if len(s) <= LINE_LIMIT and any(c.isdigit() for c in s)]
    found = usable(doctest_strings(module(name).__doc__ or ""))
    if test_file(name).exists():
        tested = usable(doctest_strings(test_file(name).read_text(encoding="utf-8")))
        keep = SAMPLE.get(name, SAMPLE_DEFAULT)
        found += tested[::max(1, -(-len(tested) // keep))]
    return found


def eu_input(name, number):
    """A member state's number as an EU VAT input: with its VAT prefix unless it has one."""
    head = number.strip()[:2].upper()
    if name not in EU_STATES or (len(head) == 2 and head.isalpha()):
        return number
    prefix = "EL" if name == "gr.vat" else EU_STATES[name]
    return prefix + number


def billing_country(fmt, number):
    if fmt != "eu_vat":
        return fmt.split("_")[0].upper()
    head = number.strip()[:2].upper()
    if head in EU_BILLING:
        return EU_BILLING[head]
    return head if head in COUNTRY_FORMATS and COUNTRY_FORMATS[head] == ["eu_vat"] else "DE"


# ---- derived inputs --------------------------------------------------------------------------------

def changed_last_digit(number):
    for i in range(len(number) - 1, -1, -1):
        if "0" <= number[i] <= "9":
            return number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1:]
    return None


def respelled(number):
    """The same number written differently: no separators, other separators, lower case, padded."""
    bare = re.sub(r"[\s.\-/]", "", number)
    out = [bare, bare.lower(), " %s " % number, "-".join(bare[i:i + 3] for i in range(0, len(bare), 3)),
           ".".join(bare[i:i + 4] for i in range(0, len(bare), 4))]
    out.append(number.replace(" ", "\u00a0").replace("-", "\u2013"))  # no-break space, en dash
    out.append("".join(chr(0xFF10 + int(c)) if "0" <= c <= "9" else c for c in number))  # fullwidth digits
    return out


def filled(pattern, accept):
    """pattern with each "?" replaced by a digit: the first filling that accept() takes, or None."""
    holes = pattern.count("?")
    for k in range(10 ** holes):
        digits = iter(str(k).zfill(holes))
        number = "".join(next(digits) if c == "?" else c for c in pattern)
        if accept(number):
            return number
    return None


def constructed():
    """(format, number) pairs built with valid check digits for what the issue names and what the
    test files hardly show: GB numbers of HMRC's newer scheme (weighted sum + 55 divisible by 97),
    Latvian personal codes, Belgian numbers starting with 1, Estonian numbers not starting with 10,
    CPFs, GSTINs."""
    gb = module("gb.vat")
    out = [("gb_vat", filled(body + "??", lambda n: gb.checksum(n) == 42))
           for body in ("1000000", "2345678", "5555555", "9755000", "8888888")]
    lv = module("lv.pvn")
    out += [("eu_vat", filled("LV" + date + "?", lv.is_valid))
            for date in ("0101991000", "2902002000", "3112851234", "1507052999", "3203100000")]
    be, ee = module("be.vat"), module("ee.kmkr")
    out += [("eu_vat", filled("BE" + body + "??", be.is_valid)) for body in ("10000000", "12345678", "19999999")]
    out += [("eu_vat", filled("EE" + body + "?", ee.is_valid)) for body in ("11111111", "20000000", "90012345")]
    cpf = module("br.cpf")
    out += [("br_cpf", filled(body + "??", cpf.is_valid)) for body in ("123456789", "111444777", "000000001")]
    gstin = module("in_.gstin")
    for pan in ("AAPFU0939F", "ABCPD1234E", "AAACR5055K"):
        for state in ("01", "27", "37"):
            body = state + pan + "1Z"
            check = next(c for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" if gstin.is_valid(body + c))
            out.append(("in_gst", body + check))
    return [(fmt, number) for fmt, number in out if number]


def char_map_rows(valid_eu):
    """One row per Unicode character stdnum's clean() maps to ASCII, in numbers where that matters:
    separators inside numbers whose modules remove different separators, digits as a last digit."""
    from stdnum.util import _char_map
    carriers = ["DE136695976", "IT00743110157", "CZ25123891", "LU15027442"]
    bare = [n for n in valid_eu if re.fullmatch(r"[A-Z]{2}[0-9]+", n)]
    ending = {digit: next(n for n in bare if n.endswith(digit)) for digit in "0123456789"}
    rows = []
    for char, ascii_char in sorted(_char_map.items()):
        if ascii_char.isdigit():
            rows.append(ending[ascii_char][:-1] + char)
        else:
            rows.extend(c[:4] + char + c[4:] for c in carriers)
    return rows


def year_sensitive(fmt, number):
    """A Singapore UEN whose verdict depends on the current year (it could change next year)."""
    if fmt != "sg_uen":
        return False
    uen = module("sg.uen")

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2099, 1, 1)

    real = uen.is_valid(number)
    uen.datetime, saved = Later, uen.datetime
    try:
        return uen.is_valid(number) != real
    finally:
        uen.datetime = saved


# ---- the table -------------------------------------------------------------------------------------

def main():
    rows = {}  # (country, input) -> (format, valid, compact)

    def add(country, fmt, number):
        if (country, number) in rows or year_sensitive(fmt, number):
            return None
        answer = polar(country, number)
        rows[(country, number)] = (answer[1], True, answer[0]) if answer else (fmt, False, "")
        return answer

    for fmt, names in SOURCES.items():
        found = [eu_input(name, n) if fmt == "eu_vat" else n for name in names for n in numbers_of(name)]
        found += EXTRA.get(fmt, [])
        for number in found:
            country = billing_country(fmt, number)
            if add(country, fmt, number):
                add(country, fmt, changed_last_digit(number) or number)
        valid = [n for (c, n), (f, ok, _) in list(rows.items()) if ok and f == fmt]
        for number in valid[:2]:
            for spelling in respelled(number):
                add(billing_country(fmt, number), fmt, spelling)
        for junk in JUNK:
            add(billing_country(fmt, "DE" if fmt == "eu_vat" else ""), fmt, junk)

    for fmt, number in constructed():
        if add(billing_country(fmt, number), fmt, number):
            add(billing_country(fmt, number), fmt, changed_last_digit(number))

    # Polar checks an EU VAT number by its own prefix, whatever EU country the address is in.
    eu_valid = [(c, n) for (c, n), (f, ok, _) in list(rows.items()) if ok and f == "eu_vat"]
    states = sorted(set(EU_STATES.values()))
    for i, (country, number) in enumerate(eu_valid[::25]):
        add(states[(states.index(country) + 1 + i) % len(states)] if country in states else "FR", "eu_vat", number)
    for number in char_map_rows([n for _, n in eu_valid]):
        add(billing_country("eu_vat", number), "eu_vat", number)

    write(rows)


def c_string(text):
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        out.append(ch if 0x20 <= byte < 0x7F and ch not in '"\\?' else "\\%03o" % byte)
    return '"%s"' % "".join(out)


def write(rows):
    lines = [
        "// Generated by scripts/gen/tax_id_vectors.py from python-stdnum %s as Polar's server applies it" % STDNUM_VERSION,
        "// (polarsource/polar %s, server/polar/tax/tax_id.py). Do not edit." % POLAR_COMMIT[:12],
        "// {billing country, format, input, valid, compact}: for a valid row the format and compact value",
        "// Polar answers; for an invalid one the format the input was drawn from. %d rows." % len(rows),
    ]
    for (country, number), (fmt, ok, value) in sorted(rows.items(), key=lambda kv: (kv[1][0], kv[0])):
        lines.append("{%s, %s, %s, %s, %s}," % (c_string(country), c_string(fmt), c_string(number),
                                                "true" if ok else "false", c_string(value)))
    (root / "tests/core/tax_id_vectors.inc").write_text("\n".join(lines) + "\n", encoding="ascii")
    counts = {}
    for (fmt, ok, _) in rows.values():
        counts.setdefault(fmt, [0, 0])[0 if ok else 1] += 1
    print("%d rows: %s" % (len(rows), ", ".join("%s %d/%d" % (f, v, i) for f, (v, i) in sorted(counts.items()))))


main()
