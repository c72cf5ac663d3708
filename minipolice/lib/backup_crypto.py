"""The encrypted form of a backup archive: AES-256-GCM in 1 MiB chunks, key from a passphrase.

Everything here is the `cryptography` library's; this module only frames its output.

    header   MAGIC, salt (16 bytes), Scrypt's log2(n), r and p (1 byte each)
    check    nonce (12) + GCM tag (16) of an empty message whose associated data is the header
             and b"key-check": a wrong passphrase fails here, before any chunk is read
    chunks   each: length of the sealed chunk (4 bytes, big-endian), nonce (12), sealed chunk
             (ciphertext + 16-byte tag); the associated data is the header, the chunk's index
             and whether it is the last one

The key is Scrypt(passphrase, random salt), so each archive has its own key. The index in the
associated data means chunks cannot be reordered, dropped or repeated unnoticed; the "last"
flag means an archive cut off at a chunk boundary fails too, not only one cut mid-chunk.
"""

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"MINIPOLICE-BACKUP-AES256GCM-1\n"
CHUNK = 1 << 20
NONCE = 12
TAG = 16
# Scrypt cost: n = 2**15, r = 8 takes 32 MiB and about a tenth of a second, as OWASP suggests.
SCRYPT = (15, 8, 1)
_PARAMS = struct.Struct(">16sBBB")
_LENGTH = struct.Struct(">I")


class SealError(Exception):
    """The archive cannot be opened: wrong passphrase, or damaged."""


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> AESGCM:
    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
    return AESGCM(kdf.derive(passphrase.encode("utf-8")))


def _associated(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", index, last)


class SealingWriter:
    """A write-only file object that encrypts what is written to `raw`; close() seals the end."""

    def __init__(self, raw, passphrase: str):
        self.raw = raw
        salt = os.urandom(16)
        self.header = MAGIC + _PARAMS.pack(salt, *SCRYPT)
        self.aead = _key(passphrase, salt, *SCRYPT)
        nonce = os.urandom(NONCE)
        raw.write(self.header + nonce + self.aead.encrypt(nonce, b"", self.header + b"key-check"))
        self.index = 0
        self.buffer = bytearray()
        self.closed = False

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep the last chunk back: close() marks it the last
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        nonce = os.urandom(NONCE)
        sealed = self.aead.encrypt(nonce, plain, _associated(self.header, self.index, last))
        self.raw.write(_LENGTH.pack(len(sealed)) + nonce + sealed)
        self.index += 1

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.closed = True


def is_sealed(raw) -> bool:
    """Whether the file (at its start) is an encrypted archive; leaves it at its start."""
    start = raw.read(len(MAGIC))
    raw.seek(0)
    return start == MAGIC


class OpeningReader:
    """A read-only file object giving back the plaintext of a sealed archive.

    Raises SealError("passphrase") when the passphrase is wrong and SealError("damaged") when
    a chunk fails its tag, is cut short, or the last chunk is missing.
    """

    def __init__(self, raw, passphrase: str):
        self.raw = raw
        self.header = raw.read(len(MAGIC) + _PARAMS.size)
        check = raw.read(NONCE + TAG)
        if not self.header.startswith(MAGIC) or len(self.header) < len(MAGIC) + _PARAMS.size:
            raise SealError("damaged")
        if len(check) < NONCE + TAG:
            raise SealError("damaged")
        salt, log2_n, r, p = _PARAMS.unpack(self.header[len(MAGIC) :])
        if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise SealError("damaged")  # a damaged header must not ask Scrypt for terabytes
        self.aead = _key(passphrase, salt, log2_n, r, p)
        try:
            self.aead.decrypt(check[:NONCE], check[NONCE:], self.header + b"key-check")
        except InvalidTag:
            raise SealError("passphrase") from None
        self.index = 0
        self.pending = self._read_sealed()
        self.done = False
        self.buffer = bytearray()

    def _read_sealed(self) -> bytes | None:
        length = self.raw.read(_LENGTH.size)
        if not length:
            return None
        if len(length) < _LENGTH.size:
            raise SealError("damaged")
        (size,) = _LENGTH.unpack(length)
        if not TAG <= size <= CHUNK + TAG:
            raise SealError("damaged")
        body = self.raw.read(NONCE + size)
        if len(body) < NONCE + size:
            raise SealError("damaged")
        return body

    def _open_next(self) -> bytes:
        if self.pending is None:
            raise SealError("damaged")  # the stream ended before its last chunk
        current, self.pending = self.pending, self._read_sealed()
        last = self.pending is None
        try:
            plain = self.aead.decrypt(
                current[:NONCE], current[NONCE:], _associated(self.header, self.index, last)
            )
        except InvalidTag:
            raise SealError("damaged") from None
        self.index += 1
        self.done = last
        return plain

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            self.buffer += self._open_next()
        if size < 0:
            size = len(self.buffer)
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data
