//! Lowering decisions, checked on the IR (generated text is covered by the insta snapshots).

use super::*;
use crate::ir::{Field, SerdeArg, Struct, TypeRef};
use crate::meta::load::load_json;

fn doctypes(json: &[&str]) -> Vec<DocType> {
    json.iter()
        .flat_map(|j| load_json(j, "test.json").unwrap())
        .collect()
}

fn lowered(json: &[&str], options: &Options) -> Lowered {
    lower(&doctypes(json), &[], options).unwrap()
}

fn structs(l: &Lowered) -> Vec<&Struct> {
    l.bindings
        .modules
        .iter()
        .flat_map(|m| m.items())
        .filter_map(|i| match i {
            Item::Struct(s) => Some(s),
            Item::Enum(_) | Item::Workflow(_) => None,
        })
        .collect()
}

fn field<'a>(s: &'a Struct, name: &str) -> &'a Field {
    s.fields.iter().find(|f| f.ident.name == name).unwrap()
}

fn ty(t: &TypeRef) -> String {
    let path = t.segments.join("::");
    if t.args.is_empty() {
        path
    } else {
        let args: Vec<String> = t.args.iter().map(ty).collect();
        format!("{path}<{}>", args.join(", "))
    }
}

const INVOICE: &str = r#"{"doctype":"DocType","name":"Invoice","module":"Accounts","fields":[
    {"fieldname":"customer","fieldtype":"Link","options":"Customer","reqd":1},
    {"fieldname":"title","fieldtype":"Data","reqd":1},
    {"fieldname":"items","fieldtype":"Table","options":"Invoice Item"},
    {"fieldname":"total","fieldtype":"Currency"},
    {"fieldname":"status","fieldtype":"Select","options":"Draft\nPaid"},
    {"fieldname":"notes","fieldtype":"Text"}]}"#;
const ITEM: &str = r#"{"doctype":"DocType","name":"Invoice Item","module":"Stock","istable":1,"fields":[
    {"fieldname":"qty","fieldtype":"Float"}]}"#;
const CUSTOMER: &str = r#"{"doctype":"DocType","name":"Customer","module":"Selling","fields":[
    {"fieldname":"invoice_status","fieldtype":"Select","options":"A\nB"}]}"#;

#[test]
fn nullability_and_serde_attributes() {
    let l = lowered(&[INVOICE, ITEM, CUSTOMER], &Options::default());
    let all = structs(&l);
    let invoice = all.iter().find(|s| s.ident == "Invoice").unwrap();
    // Mandatory, yet `null` on documents saved before it became mandatory: a Link has no
    // empty value, so it stays an Option.
    assert_eq!(
        ty(&field(invoice, "customer").ty),
        "Option<Link<super::selling::Customer>>"
    );
    assert_eq!(
        field(invoice, "customer").serde,
        [SerdeArg::Default, SerdeArg::SkipIf("Option::is_none")]
    );
    // Mandatory text reads `null` and absence as "".
    assert_eq!(ty(&field(invoice, "title").ty), "String");
    assert_eq!(
        field(invoice, "title").serde,
        [
            SerdeArg::Default,
            SerdeArg::With("frappe_runtime::wire::null_default")
        ]
    );
    assert_eq!(
        ty(&field(invoice, "items").ty),
        "Vec<super::stock::InvoiceItem>"
    );
    assert_eq!(field(invoice, "items").serde, [SerdeArg::Default]);
    assert_eq!(ty(&field(invoice, "total").ty), "f64");
    assert_eq!(
        field(invoice, "total").serde,
        [
            SerdeArg::Default,
            SerdeArg::With("frappe_runtime::wire::number")
        ]
    );
    assert_eq!(ty(&field(invoice, "status").ty), "Option<InvoiceStatus>");
    assert_eq!(
        field(invoice, "notes").serde,
        [SerdeArg::Default, SerdeArg::SkipIf("Option::is_none")]
    );
    let names: Vec<&str> = invoice
        .fields
        .iter()
        .map(|f| f.ident.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "name",
            "customer",
            "title",
            "items",
            "total",
            "status",
            "notes",
            "owner",
            "creation",
            "modified",
            "modified_by",
            "docstatus",
            "idx",
            "extra"
        ]
    );
    let item = all.iter().find(|s| s.ident == "InvoiceItem").unwrap();
    assert!(item.frappe.child);
    assert!(item.fields.iter().any(|f| f.ident.name == "parenttype"));
}

#[test]
fn every_field_may_be_absent_whatever_reqd_says() {
    // Sites answer `null` or leave keys out for mandatory fields (made mandatory later, SQL
    // imports, Singles never saved, `fields` projections), so no field is required on the wire.
    let mut fields = String::new();
    for (i, ft) in crate::meta::fieldtype::FIELDTYPES.iter().enumerate() {
        let options = match *ft {
            "Select" => "A\\nB",
            "Link" | "Dynamic Link" => "Invoice",
            "Table" | "Table MultiSelect" => "Invoice Item",
            _ => "",
        };
        for reqd in [0, 1] {
            fields.push_str(&format!(
                r#"{{"fieldname":"f{i}_{reqd}","fieldtype":"{ft}","options":"{options}","reqd":{reqd}}},"#
            ));
        }
    }
    let json = format!(
        r#"{{"doctype":"DocType","name":"Everything","module":"M","fields":[{}]}}"#,
        fields.trim_end_matches(',')
    );
    let l = lowered(&[&json, INVOICE, ITEM, CUSTOMER], &Options::default());
    let mut checked = 0;
    for s in structs(&l) {
        for f in &s.fields {
            if f.serde.contains(&SerdeArg::Flatten) {
                continue;
            }
            checked += 1;
            assert!(
                f.serde.contains(&SerdeArg::Default),
                "{}.{}: {:?}",
                s.ident,
                f.ident.name,
                f.serde
            );
        }
    }
    assert!(checked > 80, "{checked}");
}

#[test]
fn child_tables_are_shared_with_their_holders_and_links_get_stand_ins() {
    let l = lowered(&[INVOICE, ITEM, CUSTOMER], &Options::default());
    let module = |name: &str| l.bindings.modules.iter().find(|m| m.ident == name).unwrap();
    let (accounts, stock, selling) = (module("accounts"), module("stock"), module("selling"));
    // Invoice (accounts) holds Invoice Item (stock) as a Table child: accounts' feature compiles
    // that DocType, not the whole stock module.
    let shared: Vec<(&str, Vec<&str>)> = stock
        .doctypes
        .iter()
        .map(|d| {
            let with = d.shared_with.iter().map(String::as_str).collect();
            (d.struct_ident().unwrap(), with)
        })
        .collect();
    assert_eq!(shared, [("InvoiceItem", vec!["accounts"])]);
    assert_eq!(
        stock.features().into_iter().collect::<Vec<_>>(),
        ["accounts", "stock"]
    );
    assert_eq!(stock.compiled_with("InvoiceItem").len(), 2);
    assert_eq!(
        accounts.features().into_iter().collect::<Vec<_>>(),
        ["accounts"]
    );
    // Invoice links to Customer (selling): a stand-in when selling is off.
    assert_eq!(selling.stubs.iter().collect::<Vec<_>>(), ["Customer"]);
    assert!(accounts.stubs.is_empty());
}

#[test]
fn options_change_currency_and_extra() {
    let options = Options {
        currency: CurrencyType::Decimal,
        extra_field: false,
    };
    let l = lowered(&[INVOICE, ITEM, CUSTOMER], &options);
    let invoice = structs(&l)
        .into_iter()
        .find(|s| s.ident == "Invoice")
        .unwrap();
    assert_eq!(ty(&field(invoice, "total").ty), "Decimal");
    assert!(invoice.fields.iter().all(|f| f.ident.name != "extra"));
    assert!(
        l.bindings.modules[0]
            .imports
            .contains(&"frappe_runtime::rust_decimal::Decimal".to_owned())
    );
}

#[test]
fn enum_names_avoid_structs_and_imports() {
    let json = r#"{"doctype":"DocType","name":"Doc","module":"M","fields":[
        {"fieldname":"status","fieldtype":"Select","options":"A"},
        {"fieldname":"link","fieldtype":"Select","options":"B"}]}"#;
    let other = r#"{"doctype":"DocType","name":"Doc Link","module":"M","fields":[]}"#;
    let l = lowered(&[json, other], &Options::default());
    let enums: Vec<&str> = l.bindings.modules[0]
        .items()
        .filter_map(|i| match i {
            Item::Enum(e) => Some(e.ident.as_str()),
            Item::Struct(_) | Item::Workflow(_) => None,
        })
        .collect();
    // `DocStatus` is a runtime import, `DocLink` is a struct: both are avoided.
    assert_eq!(enums, ["DocStatus2", "DocLink2"]);
}

#[test]
fn a_doctype_named_like_an_import_gets_full_paths() {
    let json = r#"{"doctype":"DocType","name":"Link","module":"M","fields":[
        {"fieldname":"parent_link","fieldtype":"Link","options":"Link"}]}"#;
    let l = lowered(&[json], &Options::default());
    let s = structs(&l)[0];
    assert_eq!(
        ty(&field(s, "parent_link").ty),
        "Option<frappe_runtime::Link<Link>>"
    );
    assert!(
        !l.bindings.modules[0]
            .imports
            .contains(&"frappe_runtime::Link".to_owned())
    );
}

#[test]
fn unknown_fieldtypes_warn_and_become_json() {
    let json = r#"{"doctype":"DocType","name":"X","module":"M","fields":[
        {"fieldname":"v","fieldtype":"Vector"}]}"#;
    let l = lowered(&[json], &Options::default());
    assert_eq!(ty(&field(structs(&l)[0], "v").ty), "Option<Value>");
    assert_eq!(l.warnings.len(), 1);
    assert_eq!(
        l.warnings[0].to_string(),
        "X.v: unknown fieldtype \"Vector\": generated as serde_json::Value"
    );
}

const SERIES: &str = r#"{"doctype":"DocType","name":"Order","module":"Selling","autoname":"naming_series:","fields":[
    {"fieldname":"naming_series","label":"Series","fieldtype":"Select","options":"SO-.YYYY.-\nSO-RET-","reqd":1,"default":"SO-.YYYY.-"},
    {"fieldname":"kind","label":"Kind","fieldtype":"Select","options":"\nRetail\nWholesale","default":"Retail",
     "description":"Pick <b>one</b>; see <a href=\"https://example.com/x\">the guide</a> &amp; [docs]."},
    {"fieldname":"legacy_series","fieldtype":"Select","options":"A-\nB-"}]}"#;

#[test]
fn the_naming_series_is_text_and_a_blank_option_is_none() {
    let l = lowered(&[SERIES], &Options::default());
    let order = structs(&l)[0];
    // Mandatory text: a plain String, the patterns in the doc, no enum generated for them.
    let series = field(order, "naming_series");
    assert_eq!(ty(&series.ty), "String");
    assert_eq!(
        series.docs,
        [
            "Series",
            "",
            "Select: the naming series, mandatory, default `SO-.YYYY.-`. Series: `SO-.YYYY.-`, `SO-RET-`."
        ]
    );
    let enums: Vec<&str> = l.bindings.modules[0]
        .items()
        .filter_map(|i| match i {
            Item::Enum(e) => Some(e.ident.as_str()),
            Item::Struct(_) | Item::Workflow(_) => None,
        })
        .collect();
    assert_eq!(enums, ["OrderKind", "OrderLegacySeries"]);
    // The blank option is `None`, always sent (as `""`); HTML leaves the description.
    let kind = field(order, "kind");
    assert_eq!(ty(&kind.ty), "Option<OrderKind>");
    assert_eq!(
        kind.serde,
        [
            SerdeArg::Default,
            SerdeArg::With("frappe_runtime::wire::select::blank")
        ]
    );
    assert_eq!(
        kind.docs,
        [
            "Kind",
            "",
            "Select, default `Retail`. Options: `Retail`, `Wholesale`; blank is `None`.",
            "",
            "Pick one; see the guide \\& \\[docs\\]."
        ]
    );
    // Only the fieldname `naming_series` is the series: another Select of patterns is an enum.
    let legacy = field(order, "legacy_series");
    assert_eq!(ty(&legacy.ty), "Option<OrderLegacySeries>");
    assert!(legacy.serde.contains(&SerdeArg::SkipIf("Option::is_none")));
}
