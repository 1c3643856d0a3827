from django.urls import path

from clusterhub.events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list_view, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/mine/", views.my_events, name="mine"),
    path("events/mine/feed/", views.feed_rotate, name="feed_rotate"),
    path("events/feed/<str:token>.ics", views.person_ics, name="person_ics"),
    path("events/cluster/<slug:slug>.ics", views.cluster_ics, name="cluster_ics"),
    path("events/<int:event_id>/", views.event_detail, name="detail"),
    path("events/<int:event_id>/edit/", views.event_edit, name="edit"),
    path("events/<int:event_id>/register/", views.register, name="register"),
    path("events/<int:event_id>/cancel/", views.cancel, name="cancel"),
    path("events/<int:event_id>/ticket/", views.ticket, name="ticket"),
    path("events/<int:event_id>/attendance/", views.attendance, name="attendance"),
    path("events/<int:event_id>/check-in/", views.door, name="door"),
    path(
        "events/<int:event_id>/attendance/<int:registration_id>/check-in/",
        views.registration_check_in,
        name="registration_check_in",
    ),
    path("events/<int:event_id>/b2b/", views.b2b, name="b2b"),
    path("events/<int:event_id>/b2b/request/", views.meeting_request_view, name="meeting_request"),
    path(
        "events/<int:event_id>/b2b/<int:meeting_id>/",
        views.meeting_respond_view,
        name="meeting_respond",
    ),
]
