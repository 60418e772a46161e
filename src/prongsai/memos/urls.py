from django.urls import path

from prongsai.memos import views

app_name = "memos"

_year = "agencies/<slug:slug>/years/<int:year>/"
_memo = _year + "memos/<int:round>/"
_plan = _year + "plan-memo/"

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
    # the year's plan: its approval memo, and the announcement its approval issues (docs/documents.md)
    path(_year + "plan-memo/new/", views.memo_new, {"kind": "plan"}, name="plan_memo_new"),
    path(_plan, views.memo_detail, {"kind": "plan"}, name="plan_memo_detail"),
    path(_plan + "edit/", views.memo_edit, {"kind": "plan"}, name="plan_memo_edit"),
    path(_plan + "send/", views.memo_send, {"kind": "plan"}, name="plan_memo_send"),
    path(_plan + "sign/", views.memo_sign, {"kind": "plan"}, name="plan_memo_sign"),
    path(_plan + "return/", views.memo_return, {"kind": "plan"}, name="plan_memo_return"),
    path(_plan + "revise/", views.memo_revise, {"kind": "plan"}, name="plan_memo_revise"),
    path(_plan + "versions/<int:number>.<str:fmt>", views.version_file, {"kind": "plan"}, name="plan_version_file"),
    path(_plan + "documents/<str:document>.<str:fmt>", views.plan_live_document, name="plan_live_document"),
    path(_year + "announcement/versions/<int:number>.<str:fmt>", views.version_file, {"kind": "announcement"},
         name="announcement_version_file"),
]
