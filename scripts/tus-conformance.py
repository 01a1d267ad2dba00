#!/usr/bin/env python3
"""tus 1.0.0 conformance of greenmine-server, checked with an independent client (tuspy).

Usage: python3 scripts/tus-conformance.py BASE_URL TOKEN
       (BASE_URL like http://127.0.0.1:8080; TOKEN a bearer token from /v1/auth/login)

Checks creation, an upload in chunks with per-chunk checksums, resume after a lost final
acknowledgement (HEAD of a finished upload still answers Upload-Offset = Upload-Length),
a damaged chunk refused with 460, termination, and Upload-Expires (expiration). Prints one line per
check and a closing "N passed, M failed"; exits 1 when any failed.
"""
import base64
import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.request

from tusclient import client as tus_client

BASE, TOKEN = sys.argv[1].rstrip("/"), sys.argv[2]
UPLOADS = BASE + "/v1/uploads"
AUTH = {"Authorization": "Bearer " + TOKEN}
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)


def request(method, url, headers=None, body=None):
    """A raw HTTP request: (status, headers) whatever the status."""
    all_headers = {"Tus-Resumable": "1.0.0", **AUTH, **(headers or {})}
    req = urllib.request.Request(url, data=body, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def jpeg(size, seed):
    """A file the server's content check takes for a whole JPEG: its magic, filler, its end marker."""
    filler = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    return b"\xff\xd8\xff\xe0" + filler[: size - 6] + b"\xff\xd9"


def new_file(size, seed):
    data = jpeg(size, seed)
    handle = tempfile.NamedTemporaryFile(delete=False, suffix=".jpg")
    handle.write(data)
    handle.close()
    return handle.name, data


client = tus_client.TusClient(UPLOADS, headers=AUTH)

# 1. Creation and an upload in 64 KiB chunks, each with its checksum (tuspy sends sha1).
path, data = new_file(300_000, 1)
sha = hashlib.sha256(data).hexdigest()
uploader = client.uploader(path, chunk_size=64 * 1024, upload_checksum=True,
                           metadata={"filename": "conformance.jpg", "filetype": "image/jpeg", "sha256": sha})
uploader.upload()
check("creation and chunked upload with checksums", uploader.offset == len(data), "offset %d" % uploader.offset)
status, _ = request("HEAD", BASE + "/v1/blobs/" + sha)
check("the finished blob is readable by its uploader", status == 200, "HEAD /v1/blobs → %d" % status)

# 2. The final acknowledgement lost: a new uploader on the same URL finds the upload whole.
status, headers = request("HEAD", uploader.url)
check("HEAD of a finished upload answers its length", status in (200, 204)
      and headers.get("upload-offset") == str(len(data)), "%d %s" % (status, headers.get("upload-offset")))
resumed = client.uploader(path, url=uploader.url, chunk_size=64 * 1024)
check("a resumed uploader starts at the end", resumed.get_offset() == len(data), str(resumed.get_offset()))
resumed.upload()
check("resuming sends nothing more", resumed.offset == len(data), str(resumed.offset))

# 3. Resume in the middle: part of a file, then a new uploader continues from the server's offset.
path2, data2 = new_file(200_000, 2)
first = client.uploader(path2, chunk_size=50_000,
                        metadata={"filename": "half.jpg", "filetype": "image/jpeg"})
first.upload_chunk()
first.upload_chunk()
second = client.uploader(path2, url=first.url, chunk_size=50_000)
check("a new uploader resumes at the server's offset", second.get_offset() == 100_000, str(second.get_offset()))
second.upload()
check("the resumed upload completes", second.offset == len(data2), str(second.offset))

# 4. A damaged chunk: its checksum does not match, it is refused with 460 and nothing is kept.
path3, data3 = new_file(100_000, 3)
status, headers = request("POST", UPLOADS, {"Upload-Length": str(len(data3)),
                                            "Upload-Metadata": "filename " + base64.b64encode(b"bad.jpg").decode()})
location = headers.get("location", "")
url = location if location.startswith("http") else BASE + location
check("creation answers 201 with a Location and Upload-Expires", status == 201 and bool(location)
      and headers.get("upload-expires", "").endswith("GMT"), "%d %s" % (status, headers))
wrong = base64.b64encode(hashlib.sha1(b"other bytes").digest()).decode()
status, _ = request("PATCH", url, {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
                                   "Upload-Checksum": "sha1 " + wrong}, data3[:40_000])
check("a chunk with a wrong checksum is refused with 460", status == 460, str(status))
status, headers = request("HEAD", url)
check("nothing of the refused chunk is kept", headers.get("upload-offset") == "0", str(headers.get("upload-offset")))
status, headers = request("PATCH", url, {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
                          data3[:40_000])
check("a PATCH answers 204 with the new offset and Upload-Expires", status == 204
      and headers.get("upload-offset") == "40000" and headers.get("upload-expires", "").endswith("GMT"),
      "%d %s" % (status, headers))
status, headers = request("PATCH", url, {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
                          data3[:10])
check("a PATCH at the wrong offset answers 409", status == 409, str(status))

# 5. Termination.
status, _ = request("DELETE", url)
check("termination answers 204", status == 204, str(status))
status, _ = request("HEAD", url)
check("a terminated upload is gone", status in (404, 410), str(status))

# 6. The protocol's options.
status, headers = request("OPTIONS", UPLOADS)
extensions = set(headers.get("tus-extension", "").split(","))
check("OPTIONS advertises creation, expiration, termination, checksum",
      {"creation", "expiration", "termination", "checksum"} <= extensions, str(extensions))

for name in (path, path2, path3):
    os.unlink(name)
passed = sum(1 for ok in results if ok)
print("%d passed, %d failed" % (passed, len(results) - passed))
sys.exit(0 if passed == len(results) else 1)
