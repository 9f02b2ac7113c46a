# The Library Member controller: one whitelisted method, run on a member document.
import frappe
from frappe.model.document import Document


class LibraryMember(Document):
	@frappe.whitelist()
	def renew_membership(self, months: int = 12) -> str:
		"""Extends the member's latest membership; returns its new name."""
		return ""
