"""Phrase pools for the scale benchmark's generated library, written for this project.

Nothing here is copied from a real document (nor from the dev corpus): the plans and HĐND
resolutions that ``bench/scale_library.py`` assembles from these pools only imitate the families'
structure (header block, "I." parts, "1." items, "a)" points, "-" and "+" lists, "- Cơ quan thực
hiện:" lines, "Điều n." articles, a signature, a "PHỤ LỤC" table), so that a library of a
thousand documents parses the way a province's real one would. The figures are drawn at random
between the bounds given; they mean nothing.
"""

from __future__ import annotations

# Cities under central authority: their party committee is a "Thành ủy", their people's
# committee "Ủy ban nhân dân thành phố".
CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
                "Ngô", "Dương", "Lý", "Trịnh", "Đinh", "Lương")
MIDDLE_NAMES = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc", "Xuân", "Công", "Thu", "Bảo")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dũng", "Hạnh", "Hải", "Hùng", "Lan", "Khoa", "Mai", "Nghĩa", "Phong",
               "Quang", "Tâm", "Thắng", "Trung", "Tuấn", "Vinh", "Yến", "Khánh", "Lợi", "Thảo")

# Local names that stand in for the bundled resolution's own districts, economic zones and towns
# (none is a province's name: the generator checks).
LOCAL_NAMES = ("Tân Phước", "Phú Mỹ Đông", "Bình Sơn Thượng", "An Lạc Tây", "Hòa Thuận", "Đông Hưng Hạ",
               "Xuân Mai Bắc", "Quảng Phú Đông", "Thịnh Long", "Minh Đức", "Yên Lạc Thượng", "Vĩnh Bảo Nam",
               "Kim Sơn Hạ", "Hưng Lộc", "Tam Hiệp", "Nam Phước", "Đồng Xuân Hạ", "Thuận Thành Tây")

# Wording the copies of the resolution may change, each rule taken or left per document (the
# structure words - "Về …:", "(n)", "đạt", "trên", "duy trì", "phấn đấu" - are never touched).
REWORDINGS = (
    ("Tập trung ", "Chú trọng "),
    ("Đẩy mạnh ", "Tăng cường "),
    ("triển khai hiệu quả", "thực hiện có hiệu quả"),
    ("nâng cao chất lượng", "cải thiện chất lượng"),
    ("kịp thời", "nhanh chóng"),
    ("Rà soát ", "Khẩn trương rà soát "),
    ("quyết liệt", "mạnh mẽ"),
    ("có hiệu quả", "thực chất"),
    ("Tiếp tục ", "Kiên trì "),
    ("đồng bộ", "thống nhất"),
)

# Extra numbered targets a copy of the resolution may gain, by the group they join.
EXTRA_TARGETS = {
    "Về kinh tế": (
        "Tỷ trọng kinh tế số trong GRDP đạt trên 12%",
        "Sản lượng lương thực đạt trên 520 nghìn tấn",
        "Đón trên 2,4 triệu lượt khách du lịch",
    ),
    "Về văn hóa, xã hội": (
        "Tỷ lệ trường học đạt chuẩn quốc gia đạt trên 85%",
        "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi giảm còn dưới 14%",
        "Tỷ lệ người dân có hồ sơ sức khỏe điện tử đạt trên 90%",
    ),
    "Về môi trường": (
        "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom đạt trên 97%",
        "Tỷ lệ khu công nghiệp có hệ thống xử lý nước thải tập trung đạt 100%",
    ),
    "Về quốc phòng an ninh": (
        "Tỷ lệ điều tra, khám phá án hình sự đạt trên 85%",
    ),
}

# UBND plans: a topic, its lead agency, targets ("{v}" between the bounds; a bound with a comma
# gives one decimal) and the activities' wording.
PLAN_TOPICS = (
    {
        "title": "chuyển đổi số trong cơ quan hành chính nhà nước",
        "lead": "Sở Khoa học và Công nghệ",
        "targets": (
            ("{v}% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng", 80, 100),
            ("{v}% xã, phường có điểm truy cập Internet công cộng miễn phí", 40, 95),
            ("Bồi dưỡng kỹ năng số cho {v} cán bộ, công chức", 500, 6000),
            ("Tỷ lệ dịch vụ công trực tuyến toàn trình đạt {v}%", 60, 98),
        ),
        "things": ("nền tảng số dùng chung", "kho dữ liệu mở", "hệ thống họp trực tuyến", "chữ ký số",
                   "ứng dụng công dân số", "trung tâm giám sát an toàn thông tin"),
    },
    {
        "title": "phát triển du lịch cộng đồng",
        "lead": "Sở Văn hóa, Thể thao và Du lịch",
        "targets": (
            ("Đón {v} nghìn lượt khách du lịch cộng đồng", 80, 900),
            ("Doanh thu từ du lịch cộng đồng đạt {v} tỷ đồng", 40, 600),
            ("Công nhận {v} điểm du lịch cộng đồng đạt chuẩn", 3, 25),
            ("{v}% cơ sở lưu trú tại nhà dân được tập huấn kỹ năng phục vụ", 50, 100),
        ),
        "things": ("làng nghề truyền thống", "homestay", "lễ hội dân gian", "đường mòn sinh thái",
                   "chợ phiên vùng cao", "sản phẩm lưu niệm địa phương"),
    },
    {
        "title": "cấp nước sạch và vệ sinh môi trường nông thôn",
        "lead": "Sở Nông nghiệp và Môi trường",
        "targets": (
            ("Tỷ lệ dân cư nông thôn sử dụng nước sạch đạt {v}%", 55, 95),
            ("Xây mới {v} công trình cấp nước tập trung", 5, 60),
            ("Cải tạo {v} km đường ống cấp nước", 20, 400),
            ("{v}% hộ gia đình nông thôn có nhà tiêu hợp vệ sinh", 70, 99),
        ),
        "things": ("trạm bơm", "bể lọc", "đường ống dẫn", "hồ chứa", "giếng khoan", "thiết bị đo chất lượng nước"),
    },
    {
        "title": "phòng, chống thiên tai và tìm kiếm cứu nạn",
        "lead": "Bộ Chỉ huy quân sự tỉnh",
        "targets": (
            ("Di dời {v} hộ dân khỏi vùng có nguy cơ sạt lở", 100, 3000),
            ("{v}% xã có phương án ứng phó bão, lũ được cập nhật", 80, 100),
            ("Trồng {v} ha rừng phòng hộ ven biển", 50, 1200),
            ("Tập huấn cho {v} lượt lực lượng xung kích cấp xã", 300, 5000),
        ),
        "things": ("nhà tránh trú bão", "trạm đo mưa tự động", "xuồng cứu hộ", "kè chống sạt lở",
                   "bản đồ vùng ngập", "hệ thống cảnh báo sớm"),
    },
    {
        "title": "nâng cao chất lượng giáo dục mầm non",
        "lead": "Sở Giáo dục và Đào tạo",
        "targets": (
            ("{v}% trẻ em 5 tuổi được học 2 buổi/ngày", 85, 100),
            ("Xây mới {v} phòng học mầm non", 20, 400),
            ("{v}% giáo viên mầm non đạt chuẩn trình độ đào tạo", 75, 100),
            ("Tỷ lệ trường mầm non đạt chuẩn quốc gia đạt {v}%", 40, 90),
        ),
        "things": ("đồ chơi ngoài trời", "bếp ăn bán trú", "phòng học ngoại ngữ", "thư viện thân thiện",
                   "tài liệu hướng dẫn cha mẹ", "sân chơi vận động"),
    },
    {
        "title": "bảo đảm an toàn thực phẩm",
        "lead": "Sở Y tế",
        "targets": (
            ("Kiểm tra {v} cơ sở sản xuất, kinh doanh thực phẩm", 300, 5000),
            ("{v}% chợ đầu mối có khu giám sát an toàn thực phẩm", 50, 100),
            ("Tỷ lệ mẫu thực phẩm được xét nghiệm nhanh đạt {v}%", 60, 95),
            ("Tập huấn kiến thức cho {v} người chế biến thức ăn đường phố", 200, 4000),
        ),
        "things": ("bếp ăn tập thể", "chợ truyền thống", "cơ sở giết mổ", "cửa hàng tiện lợi",
                   "nhà hàng khu du lịch", "xe bán hàng lưu động"),
    },
)

# The verbs, audiences and ways an activity of a plan is worded (combined at random).
ACTIVITY_VERBS = ("Tổ chức hội thảo về", "Xây dựng tài liệu hướng dẫn về", "Kiểm tra, đánh giá",
                  "Khảo sát thực trạng", "Hỗ trợ đầu tư", "Tuyên truyền, phổ biến về", "Thí điểm mô hình",
                  "Sơ kết, rút kinh nghiệm về", "Tập huấn chuyên sâu về", "Rà soát, bổ sung quy chế về")
AUDIENCES = ("cán bộ cấp xã", "hộ gia đình", "doanh nghiệp nhỏ và vừa", "hợp tác xã", "đoàn viên thanh niên",
             "hội viên phụ nữ", "người cao tuổi", "học sinh trung học", "trưởng thôn, tổ dân phố")
PARTNERS = ("Sở Tài chính", "Sở Nội vụ", "Công an tỉnh", "Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh",
            "Hội Nông dân tỉnh", "Ủy ban nhân dân các xã, phường", "Báo và Phát thanh, Truyền hình tỉnh")
PURPOSES = (
    "Cụ thể hóa các nhiệm vụ được giao, phân công rõ trách nhiệm của từng cơ quan, đơn vị.",
    "Huy động sự tham gia của cả hệ thống chính trị và người dân trong quá trình thực hiện.",
    "Bảo đảm sử dụng kinh phí đúng mục đích, tiết kiệm, hiệu quả, công khai, minh bạch.",
    "Theo dõi, đánh giá định kỳ, kịp thời tháo gỡ khó khăn, vướng mắc phát sinh.",
    "Gắn kết quả thực hiện với việc đánh giá, xếp loại thi đua của các cơ quan, địa phương.",
)

# HĐND resolutions on a support level: what is supported, for whom, and how much.
HDND_SUBJECTS = (
    ("hỗ trợ cán bộ y tế thôn, bản", "nhân viên y tế thôn, bản đang làm việc", "đồng/người/tháng", 300_000, 1_200_000),
    ("hỗ trợ người có uy tín trong đồng bào dân tộc thiểu số", "người có uy tín được công nhận", "đồng/người/quý", 500_000, 2_000_000),
    ("hỗ trợ học phí cho trẻ mầm non", "trẻ em học tại cơ sở giáo dục mầm non", "đồng/trẻ/tháng", 100_000, 600_000),
    ("hỗ trợ đào tạo nghề cho lao động nông thôn", "lao động nông thôn tham gia khóa đào tạo", "đồng/người/khóa", 1_000_000, 6_000_000),
    ("hỗ trợ phát triển sản xuất nông nghiệp hữu cơ", "hộ sản xuất có chứng nhận hữu cơ", "đồng/ha", 5_000_000, 40_000_000),
    ("hỗ trợ bảo hiểm y tế cho người cao tuổi", "người từ đủ 70 tuổi đến dưới 80 tuổi", "đồng/người/năm", 200_000, 900_000),
)
HDND_GROUPS = ("thuộc hộ nghèo", "thuộc hộ cận nghèo", "ở xã đặc biệt khó khăn", "là người khuyết tật",
               "ở thôn vùng cao", "là con liệt sĩ")
