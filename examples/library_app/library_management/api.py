# Whitelisted functions of the example app: frappe-codegen's `--methods` turns them into typed
# calls (examples/src/library/methods.rs). Illustrative; the example app is never installed.
import frappe


@frappe.whitelist()
def overdue_articles(member: str, as_of: str | None = None) -> list[str]:
	"""The articles `member` holds past their due date."""
	return []


@frappe.whitelist(allow_guest=True, methods=["GET"])
def catalogue_size(include_issued=True) -> int:
	"""How many articles the library has."""
	return 0
