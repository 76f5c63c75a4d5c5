"""The instance's Ed25519 key, which signs the ledger's checkpoints (``cryptography``).

The private key is kept as PKCS #8 PEM (``save_private_key``); the public key is
published as ``public_key.pem`` (SubjectPublicKeyInfo PEM) in every bundle. A key is
known by its id: the first 16 hex digits of the SHA-256 of the raw 32-byte public key,
written in every checkpoint it signs, so a verifier sees at once which key to use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PUBLIC_KEY_FILE = "public_key.pem"


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256(raw public key)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    """The private key that signs checkpoints, with what a verifier needs to know of it."""

    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> Signer:
        """A key derived from 32 bytes: for demos and tests only, where anyone may rebuild it."""
        return cls(Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest()))

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def public_pem(self) -> bytes:
        return public_key_pem(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def save_private_key(signer: Signer, path: Path | str, password: bytes | None = None) -> None:
    """Write the private key as PKCS #8 PEM, readable by its owner only (encrypted if a password is given)."""
    protection = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )  # fmt: skip
    pem = signer.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection)
    path = Path(path)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(pem)


def load_private_key(path: Path | str, password: bytes | None = None) -> Signer:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError(f"{path} does not hold an Ed25519 private key")
    return Signer(key)


def save_public_key(public_key: Ed25519PublicKey, path: Path | str) -> None:
    Path(path).write_bytes(public_key_pem(public_key))


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key in this PEM. Raises ``ValueError`` if it holds no key, ``TypeError`` if another kind."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise TypeError("the PEM does not hold an Ed25519 public key")
    return key


def signature_holds(public_key: Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True
