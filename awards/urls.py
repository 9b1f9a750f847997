from django.urls import path, re_path

from awards import views

app_name = "awards"
urlpatterns = [
    path("awards/", views.award_index, name="index"),
    path("awards/<int:year>/", views.award_year_detail, name="year"),
    path("awards/<int:year>/shortlist/", views.shortlist, name="shortlist"),
    path("awards/<int:year>/nominations/<int:pk>/", views.nomination_edit, name="nomination_edit"),
    path("awards/<int:year>/nominations/<int:pk>/conflict/", views.conflict, name="conflict"),
    path("awards/<int:year>/nominations/<int:pk>/score/", views.score, name="score"),
    path("awards/<int:year>/open-scoring/", views.open_scoring, name="open_scoring"),
    path("awards/<int:year>/close/", views.close_scoring, name="close"),
    path("awards/<int:year>/results/", views.award_results, name="results"),
    path("awards/<int:year>/winner/", views.record_winner, name="winner"),
    path("awards/<int:year>/schedule/", views.schedule, name="schedule"),
    path("awards/<int:year>/casting-vote/", views.casting_vote, name="casting_vote"),
    path("awards/<int:year>/decision/", views.decision_record, name="decision"),
    re_path(r"^awards/(?P<year>[0-9]+)/decision\.xlsx$", views.decision_record_xlsx, name="decision_xlsx"),
    path("awards/<int:year>/publish/", views.publish, name="publish"),
    path("awards/<int:year>/audit/", views.audit_log, name="audit"),
    re_path(r"^awards/(?P<year>[0-9]+)/audit\.(?P<fmt>csv|xlsx)$", views.audit_export, name="audit_export"),
]
