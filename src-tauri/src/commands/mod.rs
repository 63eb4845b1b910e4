//! The commands the UI invokes: one short function per use case, each one `vault_core`
//! call (see `ui/src/lib/ipc.ts` for the caller), in one module per feature. Arguments
//! arrive camelCase from JS.

use std::time::Duration;

use tauri::Runtime;

mod dialogs;
mod export;
pub(crate) mod import;
pub(crate) mod open;
mod settings;
mod vault;
mod verify;
mod vouchers;

pub(crate) use vault::warm_ocr_status;

/// Every command, for `invoke_handler`.
pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        vault::vault_info,
        vouchers::list_vouchers,
        vouchers::thumbnail,
        vouchers::facets,
        vouchers::search,
        vouchers::get_voucher,
        vouchers::summaries,
        vouchers::email_html,
        vouchers::edit_voucher,
        vouchers::set_reviewed,
        vouchers::trash,
        vouchers::restore,
        vouchers::empty_trash,
        vouchers::save_search,
        vouchers::delete_saved_search,
        import::import_paths,
        import::import_bytes,
        dialogs::pick_files,
        dialogs::pick_folder,
        dialogs::pick_save,
        export::export_bundle,
        export::export_csv,
        open::show_in_folder,
        open::open_original,
        verify::verify_vault,
        verify::verify_voucher,
        verify::repair_voucher,
        vault::open_vault,
        vault::create_vault,
        settings::default_currency,
        settings::set_default_currency,
    ]
}

/// Progress is sent at most this often (and always at the end).
pub(crate) const PROGRESS_EVERY: Duration = Duration::from_millis(50);
