"""Someone verifies a diploma on /verify/ by showing its QR code to the camera: Chromium's
fake camera plays a video of the QR code; the page reads it, stops the camera, fills the
QR field and submits it, and the answer is "valid" without anything typed. A camera that
is refused says so; without a decoder (no jsQR, no BarcodeDetector) there is no camera
button. No console error and no content-security-policy violation.

The video is a Y4M file (a text header, then raw YUV 4:2:0 frames) drawn from the QR
code's modules (segno), with nothing else."""

import pytest
from playwright.sync_api import expect

from truongso.credentials import verify_views
from truongso.credentials.qr import qr_code

from .conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

FRAME_WIDTH, FRAME_HEIGHT = 640, 480
FRAMES = 5
BLACK, WHITE, NEUTRAL = 0, 255, 128  # full-range luma (C420jpeg) and neutral chroma
FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]

DENIED = (
    "Trang không được phép dùng camera. Hãy cho phép dùng camera trong cài đặt của trình "
    "duyệt, hoặc dán nội dung mã QR vào ô trên."
)
SCAN = "Quét mã QR bằng camera"


def y4m_of_qr(text: str) -> bytes:
    """A few identical frames of the QR code of ``text``, black on white in the middle."""
    qr = qr_code(text)
    modules = qr.symbol_size(scale=1, border=4)[0]
    scale = min(FRAME_WIDTH, FRAME_HEIGHT) // modules
    assert scale >= 4, "the QR code would be too small to read"
    rows = [bytes(BLACK if dark else WHITE for dark in row)
            for row in qr.matrix_iter(scale=scale, border=4)]  # fmt: skip
    side = len(rows)
    left, top = (FRAME_WIDTH - side) // 2, (FRAME_HEIGHT - side) // 2
    luma = bytearray([WHITE]) * (FRAME_WIDTH * FRAME_HEIGHT)
    for y, row in enumerate(rows):
        start = (top + y) * FRAME_WIDTH + left
        luma[start : start + side] = row
    return y4m(bytes(luma))


def y4m(luma: bytes) -> bytes:
    """``FRAMES`` grey frames (neutral chroma, subsampled 2 × 2) of the given luma plane."""
    chroma = bytes([NEUTRAL]) * ((FRAME_WIDTH // 2) * (FRAME_HEIGHT // 2))
    header = f"YUV4MPEG2 W{FRAME_WIDTH} H{FRAME_HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    frame = b"FRAME\n" + luma + chroma + chroma
    return header + frame * FRAMES


def test_the_video_file_is_a_y4m_of_the_qr_code():
    """The video holds exactly the QR code's modules, in the middle of each frame."""
    data = y4m_of_qr("VN1:ABC")
    header, _, rest = data.partition(b"\n")
    assert header == b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg"
    frame_size = len(b"FRAME\n") + 640 * 480 * 3 // 2
    assert len(rest) == FRAMES * frame_size
    first = rest[:frame_size]
    assert first.startswith(b"FRAME\n") and rest[frame_size:] == first * (FRAMES - 1)
    luma = first[6 : 6 + 640 * 480]
    qr = qr_code("VN1:ABC")
    size = qr.symbol_size(scale=1, border=4)[0]  # 21 + 2 × 4 for a version 1 code
    assert size == 29
    scale = 480 // size
    left, top = (640 - size * scale) // 2, (480 - size * scale) // 2
    for y, row in enumerate(qr.matrix_iter(scale=1, border=4)):
        for x, dark in enumerate(row):
            pixel = luma[(top + y * scale) * 640 + left + x * scale]
            assert pixel == (BLACK if dark else WHITE)
    assert luma[0] == WHITE and luma[-1] == WHITE
    assert set(first[6 + 640 * 480 :]) == {NEUTRAL}


def _decoder_or_skip():
    if not verify_views.qr_decoder_available():
        pytest.skip("jsQR not fetched (scripts/fetch-assets); the QR text is pasted instead")


@pytest.fixture
def camera_browser(chromium, tmp_path_factory):
    """A second Chromium whose camera plays ``video`` (a Y4M file), granted without asking.
    Call it with the file's bytes; it gives a new phone-sized page."""
    launched = []

    def launch(video: bytes, *, camera_allowed: bool = True):
        path = tmp_path_factory.mktemp("camera") / "qr.y4m"
        path.write_bytes(video)
        args = CHROMIUM_ARGS + [
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={path}",
        ]
        if camera_allowed:
            args.append("--use-fake-ui-for-media-stream")
        browser = chromium.browser_type.launch(
            executable_path=str(CHROMIUM), headless=True, args=args
        )
        launched.append(browser)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        return context.new_page()

    yield launch
    for browser in launched:
        browser.close()


def _watch(page, problems):
    """Console errors, uncaught exceptions and CSP violations, into ``problems`` (the
    browser's own request for /favicon.ico, which answers 404, let through)."""

    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{message.text} {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
    )


def test_scanning_the_qr_with_the_camera_verifies_the_diploma(diploma, live_server, camera_browser):
    _decoder_or_skip()
    page = camera_browser(y4m_of_qr(diploma.qr_text))
    problems: list[str] = []
    _watch(page, problems)
    page.goto(f"{live_server.url}/verify/")
    field = page.get_by_label("Nội dung mã QR")
    expect(field).to_have_value("")
    # Headless Chromium on Linux has no BarcodeDetector: jsQR decodes the frames.
    assert page.evaluate("'BarcodeDetector' in window") is False
    stop = page.get_by_role("button", name="Dừng", exact=True)
    expect(stop).to_be_hidden()
    page.get_by_role("button", name=SCAN, exact=True).click()

    # The QR is read, the form submitted: the server answers for the diploma.
    answer = page.locator("section.verify-answer")
    expect(answer).to_have_class("verify-answer valid")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Hợp lệ")
    facts = answer.locator("dl.facts")
    expect(facts.locator("dt:text-is('Họ và tên') + dd")).to_have_text("Nguyễn Văn An")
    expect(facts.locator("dt:text-is('Ngày sinh') + dd")).to_have_text("02/05/2014")
    expect(facts.locator("dt:text-is('Nơi cấp') + dd")).to_have_text("Trường THCS Ba Đình")
    # The QR field kept what the camera read: the credential's QR text, exactly.
    expect(page.get_by_label("Nội dung mã QR")).to_have_value(diploma.qr_text)
    # The new page has the camera off and the button back.
    expect(page.locator("video.qr-video")).to_be_hidden()
    expect(page.get_by_role("button", name=SCAN, exact=True)).to_be_visible()
    assert problems == []


def test_stop_turns_the_camera_off(diploma, live_server, camera_browser):
    """A blank video (no QR code): the camera runs until "Dừng" is pressed."""
    _decoder_or_skip()
    page = camera_browser(y4m(bytes([WHITE]) * (FRAME_WIDTH * FRAME_HEIGHT)))
    problems: list[str] = []
    _watch(page, problems)
    page.goto(f"{live_server.url}/verify/")
    page.get_by_role("button", name=SCAN, exact=True).click()
    video = page.locator("video.qr-video")
    expect(video).to_be_visible()
    expect(page.locator("[data-scan-status]")).to_have_text(
        "Hướng camera vào mã QR trên văn bằng; trang sẽ tự xác minh khi đọc được mã."
    )
    page.wait_for_function("document.querySelector('video.qr-video').videoWidth > 0")
    assert page.evaluate("document.querySelector('video.qr-video').videoWidth") == FRAME_WIDTH
    page.get_by_role("button", name="Dừng", exact=True).click()
    expect(video).to_be_hidden()
    assert page.evaluate("document.querySelector('video.qr-video').srcObject") is None
    expect(page.locator("[data-scan-status]")).to_have_text("")
    expect(page.get_by_label("Nội dung mã QR")).to_have_value("")
    expect(page.locator(".verify-answer")).to_have_count(0)
    assert problems == []


def test_a_refused_camera_says_so(diploma, live_server, camera_browser):
    _decoder_or_skip()
    page = camera_browser(y4m_of_qr(diploma.qr_text), camera_allowed=False)
    problems: list[str] = []
    _watch(page, problems)
    page.goto(f"{live_server.url}/verify/")
    page.get_by_role("button", name=SCAN, exact=True).click()
    expect(page.locator("[data-scan-status]")).to_have_text(DENIED)
    expect(page.locator("video.qr-video")).to_be_hidden()
    expect(page.get_by_role("button", name="Dừng", exact=True)).to_be_hidden()
    # Nothing was read or sent; the other ways are still there.
    expect(page.get_by_label("Nội dung mã QR")).to_have_value("")
    expect(page.locator(".verify-answer")).to_have_count(0)
    expect(page.get_by_label("Số hiệu văn bằng")).to_be_visible()
    assert problems == []


def test_no_camera_button_without_a_decoder(diploma, live_server, page_for, monkeypatch):
    """No jsQR and no BarcodeDetector (as in headless Chromium on Linux): no button; the
    pasted text still verifies."""
    monkeypatch.setattr(verify_views, "qr_decoder_available", lambda: False)
    page = page_for(360, 740)
    problems: list[str] = []
    _watch(page, problems)
    page.goto(f"{live_server.url}/verify/")
    scan = page.locator("[data-qr-scan]")
    expect(scan).to_have_attribute("data-decoder", "")
    # The button is in the page, hidden with its block; the script leaves it so.
    expect(scan.locator("button[data-scan-start]")).to_have_text(SCAN)
    expect(scan).to_be_hidden()
    expect(page.get_by_role("button", name=SCAN, exact=True)).to_have_count(0)
    page.get_by_label("Nội dung mã QR").fill(diploma.qr_text)
    page.get_by_role("button", name="Xác minh", exact=True).first.click()
    expect(page.locator("section.verify-answer")).to_have_class("verify-answer valid")
    expect(scan).to_be_hidden()
    assert problems == []


def test_the_camera_button_with_a_decoder(diploma, live_server, page_for):
    """With jsQR, a page on localhost (a secure context) offers the camera."""
    _decoder_or_skip()
    page = page_for(360, 740)
    page.goto(f"{live_server.url}/verify/")
    expect(page.locator("[data-qr-scan]")).to_have_attribute(
        "data-decoder", "/static/vendor/jsqr/jsQR.js"
    )
    expect(page.get_by_role("button", name=SCAN, exact=True)).to_be_visible()
    # The library is loaded only when the camera is used.
    assert page.evaluate("typeof window.jsQR") == "undefined"
