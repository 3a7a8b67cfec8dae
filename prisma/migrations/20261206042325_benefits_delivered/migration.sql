-- AlterTable
ALTER TABLE "Benefit" ADD COLUMN     "competencies" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "competencyDiscounts" JSONB,
ADD COLUMN     "designations" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'access',
ADD COLUMN     "memberPrices" JSONB,
ADD COLUMN     "online" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "quantity" INTEGER,
ADD COLUMN     "quantityByLevel" JSONB;

-- CreateTable
CREATE TABLE "Designation" (
    "catalogVersionId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "minLevel" TEXT NOT NULL,
    "requirements" JSONB NOT NULL,

    CONSTRAINT "Designation_pkey" PRIMARY KEY ("catalogVersionId","code")
);

-- CreateTable
CREATE TABLE "Entitlement" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "termNumber" INTEGER NOT NULL,
    "benefitCode" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceRef" TEXT NOT NULL DEFAULT '',
    "quantity" INTEGER,
    "used" INTEGER NOT NULL DEFAULT 0,
    "online" BOOLEAN NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "graceUntil" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "catalogVersionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Entitlement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportIncident" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "entitlementId" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "openedBy" TEXT NOT NULL,
    "resolution" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "SupportIncident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LicenseKey" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "entitlementId" UUID NOT NULL,
    "benefitCode" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "lastChars" TEXT NOT NULL,
    "issuedBy" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "LicenseKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BenefitPurchase" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "benefitCode" TEXT NOT NULL,
    "termNumber" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "autoRenew" BOOLEAN NOT NULL DEFAULT false,
    "invoiceId" UUID,
    "priceMinor" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "pricing" JSONB NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BenefitPurchase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerDesignation" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "assessment" JSONB,
    "reviewTaskId" UUID,
    "catalogVersionId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "grantedAt" TIMESTAMP(3),
    "validUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartnerDesignation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Entitlement_partnerId_termNumber_idx" ON "Entitlement"("partnerId", "termNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Entitlement_partnerId_termNumber_benefitCode_source_sourceR_key" ON "Entitlement"("partnerId", "termNumber", "benefitCode", "source", "sourceRef");

-- CreateIndex
CREATE UNIQUE INDEX "SupportIncident_workflowId_key" ON "SupportIncident"("workflowId");

-- CreateIndex
CREATE INDEX "SupportIncident_partnerId_createdAt_idx" ON "SupportIncident"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "SupportIncident_status_createdAt_idx" ON "SupportIncident"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LicenseKey_hash_key" ON "LicenseKey"("hash");

-- CreateIndex
CREATE INDEX "LicenseKey_entitlementId_idx" ON "LicenseKey"("entitlementId");

-- CreateIndex
CREATE INDEX "BenefitPurchase_partnerId_benefitCode_idx" ON "BenefitPurchase"("partnerId", "benefitCode");

-- CreateIndex
CREATE INDEX "PartnerDesignation_code_status_idx" ON "PartnerDesignation"("code", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerDesignation_partnerId_code_key" ON "PartnerDesignation"("partnerId", "code");

-- AddForeignKey
ALTER TABLE "Designation" ADD CONSTRAINT "Designation_catalogVersionId_fkey" FOREIGN KEY ("catalogVersionId") REFERENCES "CatalogVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Concurrent uses never take a counted benefit below zero.
ALTER TABLE "Entitlement" ADD CONSTRAINT "Entitlement_used_within_quantity" CHECK ("used" >= 0 AND ("quantity" IS NULL OR "used" <= "quantity"));
