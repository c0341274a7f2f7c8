//! The pure rules of ticketing: what a subject, a requester, a message, its files and a
//! customer must be, and what a follow-up ticket inherits. No IO here: values in, values or a
//! [`FieldError`](tiski_domain::FieldError) out.

pub mod compose;
pub mod customer;
pub mod mail_html;
pub mod message;
pub mod ticket;

/// Refuses text with a NUL character, which PostgreSQL cannot store and no person types.
pub(crate) fn refuse_nul(field: &str, text: &str) -> Result<(), tiski_domain::FieldError> {
    if text.contains('\0') {
        return Err(tiski_domain::FieldError::new(
            field,
            "The text contains a NUL character, which is not allowed.",
        ));
    }
    Ok(())
}
