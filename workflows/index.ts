export { enrollmentWorkflow } from './enrollment/workflow';
export { evidenceWorkflow } from './evidence/workflow';
export { upgradeWorkflow } from './upgrade/workflow';
export { ledgerCorrectionWorkflow, ledgerExpiryWorkflow } from './ledger/workflow';
export { surveyWorkflow } from './survey/workflow';
export { competencyWorkflow } from './competency/workflow';
export { benefitPurchaseWorkflow, feePaymentWorkflow, paymentEventWorkflow } from './fees/workflow';
export { withdrawalWorkflow } from './withdrawal/workflow';
export { locationChangeWorkflow } from './locations/workflow';
