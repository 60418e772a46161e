from django.contrib import admin

from prongsai.oversight.models import OversightMember, OversightScope


class MemberInline(admin.TabularInline):
    model = OversightMember
    extra = 1
    raw_id_fields = ["user"]


@admin.register(OversightScope)
class OversightScopeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "province", "district"]
    list_filter = ["level"]
    search_fields = ["name", "province", "district"]
    inlines = [MemberInline]
