from django.urls import path

from loans import views

urlpatterns = [
    path("", views.loan_collection, name="loan-collection"),
    path("rules/", views.loan_rules, name="loan-rules"),
    path("<int:loan_id>/", views.loan_detail, name="loan-detail"),
    path("<int:loan_id>/history/", views.loan_history, name="loan-history"),
    path("<int:loan_id>/approve/", views.loan_approve, name="loan-approve"),
    path("<int:loan_id>/reject/", views.loan_reject, name="loan-reject"),
]
