//! A private file uploaded and attached, downloaded with auth (the same bytes), refused to
//! Guest.

use frappe_runtime::{Auth, Changes, Client, UploadFile};
use frappe_tests::live_site::core_::File;
use frappe_tests::live_site::desk::Note;

use crate::support::{admin, unique, url};

#[tokio::test]
async fn a_private_attachment_round_trips_and_guest_is_refused() {
    let admin = admin();
    let note: Note = admin
        .create(&Changes::new().set(Note::title, unique("attach").as_str()))
        .await
        .unwrap();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let file = admin
        .upload(
            UploadFile::bytes(format!("{}.bin", note.name), bytes.clone())
                .attach_to("Note", note.name.as_str())
                .private(true),
        )
        .await
        .unwrap();
    assert!(file.is_private);
    assert_eq!(file.attached_to_doctype.as_deref(), Some("Note"));
    assert_eq!(file.attached_to_name.as_deref(), Some(note.name.as_str()));
    assert_eq!(file.file_size, Some(bytes.len() as u64));
    let file_url = file.file_url.clone().expect("file_url");
    assert!(file_url.starts_with("/private/files/"), "{file_url}");

    let downloaded = admin.download(&file_url).await.unwrap();
    assert_eq!(downloaded.as_ref(), bytes.as_slice());

    let guest = Client::new(url(), Auth::Guest).unwrap();
    let err = guest.download(&file_url).await.unwrap_err();
    assert!(err.is_permission(), "{err:?}");

    admin.delete::<Note>(&note.name).await.unwrap();
    // Deleting the document deletes its attachments ...
    let left: Vec<File> = admin
        .list::<File>()
        .filter(File::attached_to_name.eq(note.name.as_str()))
        .send()
        .await
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
    // ... and a private file that is gone answers 403 like one the caller may not read.
    let err = admin.download(&file_url).await.unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
}
