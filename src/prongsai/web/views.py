from django.shortcuts import render

from prongsai.agencies.models import Agency


def agency_list(request):
    return render(request, "web/agency_list.html", {"agencies": Agency.objects.all()})
