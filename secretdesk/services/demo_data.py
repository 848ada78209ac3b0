"""Who works at the demo department and what its documents are about (fictional).

Used by services/demo.py to fill the demo vault: Sở Tư pháp tỉnh Quảng Ngãi, its staff,
the bodies it exchanges secret documents with, and the kinds of documents it registers.
"""

from __future__ import annotations

from dataclasses import dataclass

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role

STORE = "Tủ sắt Văn phòng Sở"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    max_level: Level | None
    position: str


DIRECTOR = "Phạm Văn Hùng"
DEPUTY = "Lê Thị Hồng"
USERS = (
    DemoUser("canbo", "Trần Thị Lan", Role.CLERK, None, "Cán bộ quản lý bí mật nhà nước"),
    DemoUser("giamdoc", DIRECTOR, Role.APPROVER, Level.TOI_MAT, "Giám đốc Sở"),
    DemoUser("phogiamdoc", DEPUTY, Role.APPROVER, Level.MAT, "Phó Giám đốc Sở"),
    DemoUser("hoidong", "Nguyễn Văn Bình", Role.COUNCIL, None, "Chánh Văn phòng Sở"),
    DemoUser("kiemtra", "Huỳnh Thị Thu", Role.AUDITOR, None, "Chánh Thanh tra Sở"),
)
STAFF = (
    DIRECTOR,
    DEPUTY,
    "Nguyễn Văn Bình",
    "Huỳnh Thị Thu",
    "Đỗ Quang Vinh",
    "Võ Thị Mai",
    "Trương Công Định",
)
RECEIVERS = (
    "Nguyễn Thị Hà",
    "Trương Văn Lực",
    "Phan Thị Ngọc",
    "Lê Minh Khoa",
    "Đặng Thị Yến",
    "Bùi Văn Toàn",
)
BODIES = (
    "Ủy ban nhân dân tỉnh Quảng Ngãi",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Công an tỉnh Quảng Ngãi (PA03)",
    "Bộ Tư pháp (Văn phòng Bộ)",
    "Ban Nội chính Tỉnh ủy Quảng Ngãi",
    "Viện kiểm sát nhân dân tỉnh Quảng Ngãi",
)
ISSUERS = (
    ("Ủy ban nhân dân tỉnh Quảng Ngãi", "UBND-NC"),
    ("Công an tỉnh Quảng Ngãi", "CAT-PA03"),
    ("Bộ Tư pháp", "BTP-VP"),
    ("Tỉnh ủy Quảng Ngãi", "CV/TU"),
    ("Bộ Chỉ huy Quân sự tỉnh Quảng Ngãi", "BCH-TM"),
    ("Thanh tra tỉnh Quảng Ngãi", "TTr-NV"),
    ("Viện kiểm sát nhân dân tỉnh Quảng Ngãi", "VKS-P1"),
    ("Tòa án nhân dân tỉnh Quảng Ngãi", "TA-HCTP"),
    ("Cục Thi hành án dân sự tỉnh Quảng Ngãi", "CTHADS-VP"),
    ("Sở Nội vụ tỉnh Quảng Ngãi", "SNV-VP"),
)
# document type -> (symbol code of the department's series, summaries); fictional content.
OUTGOING = {
    "Quyết định": (
        "QĐ-STP",
        (
            "Thành lập Tổ kiểm tra công tác bảo vệ bí mật nhà nước",
            "Phân công cán bộ quản lý tài liệu bí mật nhà nước",
            "Ban hành Nội quy bảo vệ bí mật nhà nước tại Sở Tư pháp",
            "Thành lập Hội đồng tiêu hủy tài liệu bí mật nhà nước hết giá trị",
            "Điều chỉnh phân công nhiệm vụ bảo vệ bí mật nhà nước",
        ),
    ),
    "Kế hoạch": (
        "KH-STP",
        (
            "Bảo vệ bí mật nhà nước năm {year} của Sở Tư pháp",
            "Tự kiểm tra công tác bảo vệ bí mật nhà nước",
            "Kiểm kê tài liệu bí mật nhà nước 6 tháng",
            "Tuyên truyền, phổ biến pháp luật về bảo vệ bí mật nhà nước",
        ),
    ),
    "Báo cáo": (
        "BC-STP",
        (
            "Kết quả công tác bảo vệ bí mật nhà nước quý",
            "Tình hình giải quyết hồ sơ quốc tịch",
            "Kết quả rà soát hồ sơ nuôi con nuôi có yếu tố nước ngoài",
            "Kết quả thực hiện công tác đặc xá",
            "Tình hình thi hành pháp luật về xử lý vi phạm hành chính",
        ),
    ),
    "Công văn": (
        "STP-VP",
        (
            "Rà soát danh mục bí mật nhà nước của ngành Tư pháp",
            "Cung cấp thông tin phục vụ công tác đặc xá",
            "Phối hợp xác minh hồ sơ lý lịch tư pháp",
            "Đề nghị cử cán bộ tham gia bồi dưỡng nghiệp vụ bảo vệ bí mật nhà nước",
        ),
    ),
    "Tờ trình": (
        "TTr-STP",
        (
            "Đề nghị phê duyệt phương án bảo vệ hồ sơ đặc xá",
            "Đề nghị thẩm định hồ sơ xin thôi quốc tịch Việt Nam",
            "Đề nghị gia hạn thời hạn bảo vệ bí mật nhà nước",
        ),
    ),
    "Thông báo": (
        "TB-STP",
        (
            "Kết luận kiểm tra việc quản lý hồ sơ lý lịch tư pháp",
            "Lịch kiểm tra công tác bảo vệ bí mật nhà nước tại các đơn vị",
        ),
    ),
}
INCOMING_SUMMARIES = (
    "Triển khai công tác đặc xá",
    "Hướng dẫn tự kiểm tra công tác bảo vệ bí mật nhà nước",
    "Rà soát hồ sơ quốc tịch đang giải quyết",
    "Phối hợp bảo đảm an ninh trong đợt diễn tập khu vực phòng thủ",
    "Kết luận thanh tra công tác quản lý nhà nước về hộ tịch",
    "Đề nghị cung cấp hồ sơ lý lịch tư pháp",
    "Phối hợp thi hành án đối với người được đặc xá",
    "Danh mục bí mật nhà nước thuộc lĩnh vực tư pháp",
    "Tăng cường công tác bảo vệ bí mật nhà nước trên không gian mạng",
)
INCOMING_TYPES = ("Công văn", "Kế hoạch", "Thông báo", "Quyết định", "Chỉ thị", "Báo cáo")
INTERNAL_SUMMARIES = (
    "Phân công trực, bảo vệ phòng lưu giữ tài liệu mật",
    "Danh sách cán bộ được tiếp cận tài liệu mật",
    "Kết quả kiểm kê, đối chiếu tài liệu mật",
)
