import { Module } from '@nestjs/common';
import { ConsolidationsController } from './consolidations.controller';
import { ConsolidationsService } from './consolidations.service';

@Module({ controllers: [ConsolidationsController], providers: [ConsolidationsService] })
export class ConsolidationsModule {}
