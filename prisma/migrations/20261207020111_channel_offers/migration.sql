-- CreateTable
CREATE TABLE "ChannelOffer" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "competencies" TEXT[],
    "countries" TEXT[],
    "validUntil" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "closedReason" TEXT,
    "closedAt" TIMESTAMP(3),
    "workflowId" TEXT NOT NULL,
    -- Written by Postgres alone, so no writer can let it drift from the description.
    "search" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "description")) STORED,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelOfferMessage" (
    "id" UUID NOT NULL,
    "offerId" UUID NOT NULL,
    "respondentId" UUID NOT NULL,
    "authorPartnerId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelOfferMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChannelOffer_status_createdAt_idx" ON "ChannelOffer"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ChannelOffer_partnerId_createdAt_idx" ON "ChannelOffer"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "ChannelOffer_search_idx" ON "ChannelOffer" USING GIN ("search");

-- CreateIndex
CREATE INDEX "ChannelOffer_competencies_idx" ON "ChannelOffer" USING GIN ("competencies");

-- CreateIndex
CREATE INDEX "ChannelOffer_countries_idx" ON "ChannelOffer" USING GIN ("countries");

-- CreateIndex
CREATE INDEX "ChannelOfferMessage_offerId_createdAt_idx" ON "ChannelOfferMessage"("offerId", "createdAt");

-- AddForeignKey
ALTER TABLE "ChannelOfferMessage" ADD CONSTRAINT "ChannelOfferMessage_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "ChannelOffer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

