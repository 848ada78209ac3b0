"""SecretDesk: an offline custody register for classified documents.

Sổ quản lý tài liệu, vật chứa bí mật nhà nước trên máy tính không kết nối mạng.
"""

__version__ = "0.1.0"
