//! Secrets: random tokens (sessions, CSRF, one-time links), their hashes as stored, and password hashes.
//!
//! A token is 256 bits from the operating system's generator, written as 64 hex digits. The database keeps only
//! its BLAKE3 hash: a token is already uniformly random, so a fast hash is enough to make a leaked table useless
//! (a slow hash is for passwords, which people choose). Passwords are hashed with argon2id at the parameters
//! OWASP recommends (the `argon2` crate's defaults: 19 MiB, 2 passes, 1 lane) in PHC string format.
//!
//! A personal access token of the API is [`API_TOKEN_PREFIX`] and 256 random bits in hex; the database keeps its
//! SHA-256 (the secret is as random as a session token, so a fast hash is right here too; the prefix lets secret
//! scanners and people recognise a leaked one).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A new random token: 32 bytes from the OS as 64 lower-case hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database stores for a token: its BLAKE3 hash in hex.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// The prefix of every personal access token.
pub const API_TOKEN_PREFIX: &str = "slpat_";

/// A new personal access token: [`API_TOKEN_PREFIX`] and a [`random_token`].
pub fn api_token_secret() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_token())
}

/// What the database stores for a personal access token: the SHA-256 of the whole secret, in hex.
pub fn api_token_hash(secret: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Why a password is refused, in words for the form.
pub fn password_problem(password: &str) -> Option<String> {
    let chars = password.chars().count();
    (chars < MIN_PASSWORD_CHARS)
        .then(|| format!("the password has {chars} characters; use at least {MIN_PASSWORD_CHARS}"))
}

/// The argon2id PHC string of a password, with a fresh random salt. Takes tens of milliseconds on purpose: call
/// it off the async workers (`spawn_blocking`).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// True when `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of a password nobody knows, verified against when the e-mail address is unknown, so that a login
/// takes as long whether or not the address has an account.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn api_tokens_are_prefixed_and_stored_as_sha256() {
        let secret = api_token_secret();
        assert!(secret.starts_with(API_TOKEN_PREFIX) && secret.len() == API_TOKEN_PREFIX.len() + 64);
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(api_token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_ne!(api_token_hash(&secret), api_token_hash(&api_token_secret()));
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(password_problem("elevenchars").is_some());
        assert!(password_problem("twelve chars").is_none());
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }
}
