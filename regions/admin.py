from django.contrib import admin

from regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "official_name", "level", "nuts_code")
    search_fields = ("code", "name", "official_name")
