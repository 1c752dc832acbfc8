"""Staff administration at /staff/ (provider host only: the URLconf of reseller hosts has no /staff/)."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import models


@admin.register(models.User)
class PanelUserAdmin(UserAdmin):
    list_display = ("username", "email", "client", "is_reseller", "is_staff", "is_active", "managed")
    list_filter = ("is_reseller", "is_staff", "is_active", "managed")
    fieldsets = UserAdmin.fieldsets + (("Panel", {"fields": ("client", "is_reseller", "managed")}),)


@admin.register(models.Reseller)
class ResellerAdmin(admin.ModelAdmin):
    list_display = ("name", "host", "status", "plan", "managed")
    list_filter = ("status", "managed")
    search_fields = ("name", "host")


@admin.register(models.Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "reseller", "plan", "configuration", "created_at")
    list_filter = ("reseller",)
    search_fields = ("name", "email")


class RuleInline(admin.TabularInline):
    model = models.PricingRule
    extra = 0


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "owner_reseller", "currency", "is_default", "managed", "archived")
    list_filter = ("managed", "archived")
    inlines = [RuleInline]


@admin.register(models.Configuration)
class ConfigurationAdmin(admin.ModelAdmin):
    list_display = ("name", "owner_reseller", "is_default", "managed", "archived")


@admin.register(models.Setting)
class SettingAdmin(admin.ModelAdmin):
    list_display = ("key", "value")


admin.site.register(models.PricingCondition)
admin.site.register(models.PricingModifier)
admin.site.site_header = "Panel staff administration"
