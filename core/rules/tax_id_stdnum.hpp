// The checks Polar applies to the tax-ID formats python-stdnum covers: each is a port of the stdnum
// module's validate() (or of Polar's wrapper around it), taking the raw input and answering stdnum's
// compact value. tax_id_eu.cpp holds eu_vat and gb_vat, tax_id_americas.cpp and tax_id_others.cpp the rest.
#pragma once
#include "rules/tax_id_text.hpp"

namespace clientele::tax_id::stdnum {

Verdict eu_vat(View number);  // stdnum.eu.vat: the prefix picks the member state's module (EL, XI, EU, IM too)
Verdict gb_vat(View number);  // stdnum.gb.vat

Verdict ar_cuit(View number);     // stdnum.ar.cuit
Verdict br_cnpj(View number);     // stdnum.br.cnpj
Verdict br_cpf(View number);      // stdnum.br.cpf
Verdict ca_bn(View number);       // stdnum.ca.bn
Verdict ca_gst_hst(View number);  // Polar: stdnum.ca.bn in its 15-character form
Verdict cl_tin(View number);      // Polar: stdnum.cl.rut on its compact form
Verdict co_nit(View number);      // stdnum.co.nit
Verdict cr_tin(View number);      // stdnum.cr.cpj
Verdict ec_ruc(View number);      // Polar: stdnum.ec.ruc, or a company RUC issued without a check digit
Verdict mx_rfc(View number);      // stdnum.mx.rfc
Verdict pe_ruc(View number);      // stdnum.pe.ruc
Verdict sv_nit(View number);      // stdnum.sv.nit
Verdict us_ein(View number);      // stdnum.us.ein
Verdict uy_ruc(View number);      // Polar: stdnum.uy.rut on its compact form
Verdict ve_rif(View number);      // stdnum.ve.rif

Verdict ad_nrt(View number);  // stdnum.ad.nrt
Verdict au_abn(View number);  // stdnum.au.abn
Verdict ch_uid(View number);  // stdnum.ch.uid
Verdict ch_vat(View number);  // stdnum.ch.vat
Verdict id_npwp(View number);  // stdnum.id.npwp
Verdict il_vat(View number);  // Polar: stdnum.il.idnr
Verdict in_gst(View number);  // stdnum.in_.gstin
Verdict is_vat(View number);  // stdnum.is_.vsk
Verdict jp_cn(View number);   // stdnum.jp.cn
Verdict ke_pin(View number);  // stdnum.ke.pin
Verdict kr_brn(View number);  // stdnum.kr.brn
Verdict mk_vat(View number);  // Polar: stdnum.mk.edb on its compact form
Verdict no_vat(View number);  // stdnum.no.mva
Verdict rs_pib(View number);  // stdnum.rs.pib
Verdict ru_inn(View number);  // stdnum.ru.inn
Verdict sg_uen(View number);  // stdnum.sg.uen (its years are checked against the current year)
Verdict th_vat(View number);  // stdnum.th.moa
Verdict tr_tin(View number);  // stdnum.tr.vkn
Verdict tw_vat(View number);  // Polar: stdnum.tw.ubn, or its checksum divisible by 5 (numbers since 2023)
Verdict vn_tin(View number);  // stdnum.vn.mst

}  // namespace clientele::tax_id::stdnum
