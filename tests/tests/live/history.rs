//! A site with history: `.ci/live` took the snapshot `frappe_tests::live_site` is generated
//! from after adding mandatory Custom Fields (`frs_*`: Data, Select, Link, Date, Int) to
//! Contact, whose seeded "Jane Doe" predates them and so holds NULL in each (Frappe enforces
//! `reqd` only when a document is saved).

use frappe_tests::live_site::contacts::Contact;

use crate::support::admin;

#[tokio::test]
async fn mandatory_fields_added_after_the_fact_leave_typed_reads_working() {
    let admin = admin();
    let contacts: Vec<Contact> = admin.list::<Contact>().all().send().await.unwrap();
    let jane = contacts
        .iter()
        .find(|c| c.name == "Jane Doe")
        .expect("the seeded contact");
    assert_eq!(
        jane.frs_region, "",
        "a NULL mandatory Data field reads as empty"
    );
    assert_eq!(jane.frs_tier, None);
    assert_eq!(jane.frs_account_manager, None);
    assert_eq!(jane.frs_since, None);
    assert_eq!(jane.frs_score, 0);
    // A whole document reads the same way (absent keys, not nulls, there).
    let got: Contact = admin.get("Jane Doe").await.unwrap();
    assert_eq!(
        (
            got.frs_region.as_str(),
            got.frs_tier,
            got.frs_account_manager,
            got.frs_since,
            got.frs_score
        ),
        ("", None, None, None, 0)
    );
    assert_eq!(got.email_id.as_deref(), Some("jane.doe@example.com"));
}
