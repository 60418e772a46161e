from django.urls import path

from prongsai.memos import views

app_name = "memos"

_memo = "agencies/<slug:slug>/years/<int:year>/memos/<int:round>/"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("agencies/<slug:slug>/register/", views.register, name="register"),
    path("agencies/<slug:slug>/memo-chain/", views.chain_settings, name="chain_settings"),
    path("agencies/<slug:slug>/years/<int:year>/memos/new/", views.memo_new, name="memo_new"),
    path(_memo, views.memo_detail, name="memo_detail"),
    path(_memo + "edit/", views.memo_edit, name="memo_edit"),
    path(_memo + "send/", views.memo_send, name="memo_send"),
    path(_memo + "sign/", views.memo_sign, name="memo_sign"),
    path(_memo + "return/", views.memo_return, name="memo_return"),
    path(_memo + "revise/", views.memo_revise, name="memo_revise"),
    path(_memo + "versions/<int:number>.<str:fmt>", views.version_file, name="version_file"),
]
