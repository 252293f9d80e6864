from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Company, Contact, Membership, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_service_manager",
        "is_active",
    ]
    list_filter = ["is_service_manager", "is_active", "memberships__unit"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Service desk"), {"fields": ["is_service_manager", "language"]}),
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "name_en", "is_triage", "email"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
    inlines = [MembershipInline]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "business_id", "created_at"]
    search_fields = ["name", "business_id"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "language", "company"]
    search_fields = ["name", "email", "company__name", "company__business_id"]
    list_select_related = ["company"]
    autocomplete_fields = ["company"]
